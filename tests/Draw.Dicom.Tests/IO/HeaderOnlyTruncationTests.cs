using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Dicom.Tests.IO;

public sealed class HeaderOnlyTruncationTests : IDisposable
{
    private static readonly string Source = Directory.GetFiles(Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image")).Order(StringComparer.Ordinal).First();

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_header_only_read_of_a_file_cut_inside_its_pixel_data_names_the_file_and_the_element()
    {
        var cut = CutCopy();

        Assert.NotNull(DicomFile.OpenHeader(Source).Dataset.GetString(DicomTags.SOPInstanceUID));
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.OpenHeader(cut));
        Assert.Contains("cut.dcm", error.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.PixelData, error.Tag);
        Assert.Contains("1000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_read_keeping_only_some_elements_refuses_the_cut_file_alike()
    {
        var kept = DicomReadOptions.HeaderOnly with { OnlyTags = [DicomTags.SOPInstanceUID] };
        var cut = CutCopy();

        Assert.Equal(DicomFile.OpenHeader(Source).Dataset.GetString(DicomTags.SOPInstanceUID), DicomFileReader.Read(Source, kept).Dataset.GetString(DicomTags.SOPInstanceUID));
        var error = Assert.Throws<DicomFormatException>(() => DicomFileReader.Read(cut, kept));
        Assert.Equal(DicomTags.PixelData, error.Tag);
    }

    /// <summary>A copy of <see cref="Source"/> without its last 1000 bytes, all of them pixel data.</summary>
    private string CutCopy()
    {
        var whole = File.ReadAllBytes(Source);
        var cut = Path.Combine(_folder.Path, "cut.dcm");
        File.WriteAllBytes(cut, whole[..(whole.Length - 1000)]);
        return cut;
    }
}
