using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Dicom.Tests.IO;

public sealed class HeaderOnlyTruncationTests
{
    [Fact]
    public void A_header_only_read_of_a_file_cut_inside_its_pixel_data_names_the_file_and_the_element()
    {
        var source = Directory.GetFiles(Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image")).Order(StringComparer.Ordinal).First();
        using var folder = new TempFolder();
        var whole = File.ReadAllBytes(source);
        var cut = Path.Combine(folder.Path, "cut.dcm");
        File.WriteAllBytes(cut, whole[..(whole.Length - 1000)]);

        Assert.NotNull(DicomFile.OpenHeader(source).Dataset.GetString(DicomTags.SOPInstanceUID));
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.OpenHeader(cut));
        Assert.Contains("cut.dcm", error.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.PixelData, error.Tag);
        Assert.Contains("1000 bytes", error.Message, StringComparison.Ordinal);
    }
}
