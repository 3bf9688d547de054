using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;

namespace Draw.Dicom.Tests.Rt;

public sealed class RtStructureSetTests
{
    private static string Lung1Rt => TestFiles.Sample("github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/mask_rtstruct/1-1.dcm");

    [Fact]
    public void Reads_the_rois_contours_colours_types_and_references_of_LUNG1()
    {
        var set = RtStructureSet.Read(DicomFile.Open(Lung1Rt).Dataset);
        Assert.Equal(new[] { "GTV-1", "Lung-Left", "Lung-Right", "Spinal-Cord" }, set.Rois.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(358, set.Rois.Sum(r => r.Contours.Count));
        Assert.All(set.Rois, r => Assert.NotNull(r.Color));
        Assert.All(set.Rois.SelectMany(r => r.Contours), c => Assert.Equal(0, c.Points.Length % 3));
        var frame = Assert.Single(set.ReferencedFrames);
        Assert.Equal(134, frame.Studies[0].Series[0].Images.Count);
    }

    [Fact]
    public void Writing_back_unchanged_keeps_every_value_and_an_empty_roi_is_added_in_all_three_sequences()
    {
        var file = DicomFile.Open(Lung1Rt);
        var set = RtStructureSet.Read(file.Dataset);
        var before = RtStructureSet.Read(file.Dataset);
        set.WriteTo(file.Dataset);
        var after = RtStructureSet.Read(file.Dataset);
        Assert.Equal(before.ReferencedImageUids(), after.ReferencedImageUids());
        Assert.Equal(before.Rois.Select(r => (r.Number, r.Name, r.Color, r.InterpretedType)), after.Rois.Select(r => (r.Number, r.Name, r.Color, r.InterpretedType)));
        Assert.Equal(before.Rois[0].Contours[0].Points, after.Rois[0].Contours[0].Points);

        var roi = after.AddEmptyRoi("Heart", new RtColor(1, 2, 3), "ORGAN");
        after.WriteTo(file.Dataset);
        Assert.Equal(5, file.Dataset.GetItems(DicomTags.StructureSetROISequence).Count);
        Assert.Equal(5, file.Dataset.GetItems(DicomTags.ROIContourSequence).Count);
        Assert.Equal(5, file.Dataset.GetItems(DicomTags.RTROIObservationsSequence).Count);
        var reread = RtStructureSet.Read(file.Dataset).FindRoi("heart")!;
        Assert.Equal(roi.Number, reread.Number);
        Assert.Equal(new RtColor(1, 2, 3), reread.Color);
        Assert.Equal("ORGAN", reread.InterpretedType);
        Assert.Equal(before.ReferencedFrames[0].FrameOfReferenceUid, reread.FrameOfReferenceUid);
    }
}
