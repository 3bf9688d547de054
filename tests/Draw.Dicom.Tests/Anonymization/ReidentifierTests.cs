using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;

namespace Draw.Dicom.Tests.Anonymization;

public sealed class ReidentifierTests : IAsyncLifetime
{
    private readonly string _temp = Directory.CreateTempSubdirectory("draw-reid-").FullName;
    private readonly InMemoryUidMap _map = new();
    private readonly InMemoryPatientPseudonymizer _patients = new(minShiftDays: -400, maxShiftDays: -30);
    private List<DicomFile> _originals = [];
    private DicomFile _originalRt = null!;
    private string _deidRtPath = "";
    private string _deidSeries = "";

    public async Task InitializeAsync()
    {
        var profile = DeidentificationProfile.Default with { Options = DeidentificationProfile.Default.Options | ConfidentialityOptions.CleanDescriptors };
        var result = await FolderDeidentifier.DeidentifyFolderAsync(DeidentifierTests.Lung1, _temp, new Deidentifier(profile, _map, _patients));
        Assert.Empty(result.Failures);
        _originals = [.. result.Files.Select(f => DicomFile.Open(f.InputPath))];
        _originalRt = _originals.Single(f => f.Dataset.GetString(DicomTags.Modality) == "RTSTRUCT");
        _deidRtPath = result.Files.Single(f => f.InputPath.EndsWith("1-1.dcm", StringComparison.Ordinal)).OutputPath!;
        var ct = result.Files.First(f => !f.InputPath.EndsWith("1-1.dcm", StringComparison.Ordinal)).OutputPath!;
        _deidSeries = DicomFile.Open(ct).Dataset.GetString(DicomTags.SeriesInstanceUID)!;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_temp, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The de-identified RTSTRUCT as a server would return it: its own new series and instance.</summary>
    private DicomFile Returned(Action<DicomDataset>? tamper = null)
    {
        var file = DicomFile.Open(_deidRtPath);
        file.Dataset.SetString(DicomTags.SeriesInstanceUID, DicomUidGenerator.Default.Generate());
        file.Dataset.SetString(DicomTags.SOPInstanceUID, DicomUidGenerator.Default.Generate());
        tamper?.Invoke(file.Dataset);
        return file;
    }

    private OriginalStudyAttributes Original() => OriginalStudyAttributes.From(_originals.First(f => f != _originalRt).Dataset);

    [Fact]
    public async Task A_returned_RTSTRUCT_references_exactly_the_original_slices_study_and_frame_of_reference()
    {
        var styling = new RoiStyling(
            [new RoiStyle("Lung-Left", "Lung_L", new RtColor(0, 0, 255), "ORGAN"), new RoiStyle("GTV-1", "GTV", new RtColor(255, 0, 0), "GTV")],
            [new RoiStyle("Heart", "Heart", new RtColor(255, 255, 0), "ORGAN")]);
        var reid = new RtStructReidentifier(_map, new ReidentificationOptions { SeriesDescription = "DRAW test", StructureSetLabel = "DRAW_AUTO" });
        var result = await reid.ReidentifyAsync(new ReidentificationRequest(Returned(), [_deidSeries], Original(), styling), CancellationToken.None);
        Assert.True(result.Accepted, result.Rejection);
        var ds = result.File!.Dataset;

        var original = RtStructureSet.Read(_originalRt.Dataset);
        var back = RtStructureSet.Read(ds);
        Assert.Equal(original.ReferencedImageUids().Order(StringComparer.Ordinal), back.ReferencedImageUids().Order(StringComparer.Ordinal));
        Assert.Equal(original.ReferencedFrames[0].FrameOfReferenceUid, back.ReferencedFrames[0].FrameOfReferenceUid);
        Assert.Equal(original.ReferencedFrames[0].Studies[0].StudyInstanceUid, back.ReferencedFrames[0].Studies[0].StudyInstanceUid);
        Assert.Equal(original.ReferencedFrames[0].Studies[0].Series[0].SeriesInstanceUid, back.ReferencedFrames[0].Studies[0].Series[0].SeriesInstanceUid);
        Assert.All(back.Rois, r => Assert.Equal(original.ReferencedFrames[0].FrameOfReferenceUid, r.FrameOfReferenceUid));
        var ct = _originals.First(f => f != _originalRt).Dataset;
        Assert.Equal(ct.GetString(DicomTags.StudyInstanceUID), ds.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(ct.GetString(DicomTags.PatientID), ds.GetString(DicomTags.PatientID));
        Assert.Equal(ct.GetString(DicomTags.PatientName), ds.GetString(DicomTags.PatientName));
        Assert.Equal(ct.GetString(DicomTags.StudyDate), ds.GetString(DicomTags.StudyDate));
        Assert.NotEqual(ct.GetString(DicomTags.SeriesInstanceUID), ds.GetString(DicomTags.SeriesInstanceUID));
        Assert.DoesNotContain(_originals, f => f.Dataset.GetString(DicomTags.SOPInstanceUID) == ds.GetString(DicomTags.SOPInstanceUID));
        Assert.Null(ds.Find(DicomTags.PatientIdentityRemoved));
        Assert.Equal("DRAW test", ds.GetString(DicomTags.SeriesDescription));
        Assert.Equal("DRAW_AUTO", ds.GetString(DicomTags.StructureSetLabel));

        var lung = back.FindRoi("Lung_L")!;
        Assert.Equal(new RtColor(0, 0, 255), lung.Color);
        Assert.Equal("ORGAN", lung.InterpretedType);
        Assert.NotEmpty(lung.Contours);
        Assert.Equal("GTV", back.FindRoi("GTV")!.InterpretedType);
        var heart = back.FindRoi("Heart")!;
        Assert.Empty(heart.Contours);
        Assert.Equal(5, back.Rois.Count);
        Assert.NotNull(back.FindRoi("Spinal-Cord"));

        var path = Path.Combine(_temp, "reidentified.dcm");
        result.File.Save(path);
        Assert.Equal(ds.GetString(DicomTags.SOPInstanceUID), DicomFile.Open(path).FileMetaInformation.GetString(new DicomTag(0x00020003)));
        var added = (await Dciodvfy.ErrorsAsync(path)).Except(await Dciodvfy.ErrorsAsync(_originalRt.FilePath!)).ToList();
        Assert.True(added.Count == 0, string.Join("\n", added));
    }

    [Fact]
    public async Task An_unknown_UID_is_rejected_with_the_reason()
    {
        var reid = new RtStructReidentifier(_map);
        var returned = Returned(ds =>
        {
            var image = ds.GetItems(DicomTags.ROIContourSequence)[0].GetItems(DicomTags.ContourSequence)[0].GetItems(DicomTags.ContourImageSequence)[0];
            image.SetString(DicomTags.ReferencedSOPInstanceUID, "2.25.1234");
        });
        var result = await reid.ReidentifyAsync(new ReidentificationRequest(returned, [_deidSeries], Original()), CancellationToken.None);
        Assert.False(result.Accepted);
        Assert.Contains("not in the UID map", result.Rejection, StringComparison.Ordinal);
        Assert.Contains("ContourImageSequence", result.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wrong_series_is_rejected_with_the_reason()
    {
        var reid = new RtStructReidentifier(_map);
        var result = await reid.ReidentifyAsync(new ReidentificationRequest(Returned(), ["2.25.999"], Original()), CancellationToken.None);
        Assert.False(result.Accepted);
        Assert.Contains("not submitted", result.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_an_RTSTRUCT_is_rejected_with_the_reason()
    {
        var reid = new RtStructReidentifier(_map);
        var ct = DicomFile.Open(Directory.GetFiles(_temp).First(f => DicomFile.Open(f).Dataset.GetString(DicomTags.Modality) == "CT"));
        var result = await reid.ReidentifyAsync(new ReidentificationRequest(ct, [_deidSeries], Original()), CancellationToken.None);
        Assert.False(result.Accepted);
        Assert.Equal("not an RT Structure Set: SOP Class UID is CT Image Storage", result.Rejection);
    }
}
