using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Dicom.Tests.IO;

/// <summary>A file written to a path (header buffered, bulk data copied file to file) holds exactly the bytes the
/// same file written to a stream does (every value through memory).</summary>
public sealed class DicomFileOutputTests
{
    [Theory]
    [InlineData("github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image/1-001.dcm", true)] // native pixel data left in the file
    [InlineData("github-cornerstonejs-dicomParser/testImages/CT1_UNC.explicit_big_endian.dcm", true)] // big endian kept: stored bytes go out as they are
    [InlineData("github-cornerstonejs-dicomParser/testImages/CT1_UNC.explicit_big_endian.dcm", false)] // big endian to little endian: swapped in memory
    [InlineData("debian-python3-pydicom/test_files/JPEG2000.dcm", true)] // encapsulated: fragments copied file to file
    [InlineData("debian-python3-pydicom/test_files/SC_rgb_rle_2frame.dcm", true)]
    public void Writing_to_a_path_gives_the_bytes_writing_to_a_stream_gives(string sample, bool keepSyntax)
    {
        var file = DicomFile.Open(TestFiles.Sample(sample), new DicomReadOptions { BulkDataThreshold = 256 });
        Assert.Contains(file.Dataset.Elements, e => e.BulkData is { IsInFile: true } || e is DicomFragmentSequence);
        var options = new DicomWriteOptions { KeepTransferSyntax = keepSyntax, FlushToDisk = false };
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "out.dcm");

        file.Save(path, options);
        using var expected = new MemoryStream();
        DicomFileWriter.Write(expected, file, options);

        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Writeback_started_early_changes_nothing_in_the_file()
    {
        var sample = TestFiles.Sample("github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image/1-002.dcm");
        var file = DicomFile.Open(sample);
        using var folder = new TempFolder();
        var plain = Path.Combine(folder.Path, "plain.dcm");
        var early = Path.Combine(folder.Path, "early.dcm");

        file.Save(plain, new DicomWriteOptions { KeepTransferSyntax = true, FlushToDisk = false });
        file.Save(early, new DicomWriteOptions { KeepTransferSyntax = true, FlushToDisk = false, StartWriteback = true });

        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(early));
    }
}
