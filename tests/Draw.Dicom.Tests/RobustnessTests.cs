using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Dicom.Tests;

/// <summary>Truncated and corrupted input: the reader throws DicomFormatException or succeeds; never anything else,
/// never hangs, never allocates far beyond the input's size.</summary>
public sealed class RobustnessTests
{
    private static readonly string[] Seeds =
    [
        "CT_small.dcm", "rtplan.dcm", "image_dfl.dcm", "MR_small_bigendian.dcm", "JPEG2000.dcm", "priv_SQ.dcm", "UN_sequence.dcm", "test-SR.dcm",
    ];

    [Fact]
    public void Truncating_files_at_many_offsets_gives_a_format_error_or_a_dataset()
    {
        foreach (var name in Seeds)
        {
            var bytes = File.ReadAllBytes(TestFiles.PydicomFile(name));
            var step = Math.Max(1, bytes.Length / 150);
            for (var cut = 0; cut < bytes.Length; cut += step)
            {
                ReadOrFormatError(bytes.AsMemory(0, cut), $"{name} cut at {cut}");
            }
        }
    }

    [Fact]
    public void Flipping_random_bytes_gives_a_format_error_or_a_dataset()
    {
        var random = new Random(20240601);
        foreach (var name in Seeds)
        {
            var original = File.ReadAllBytes(TestFiles.PydicomFile(name));
            for (var round = 0; round < 150; round++)
            {
                var bytes = (byte[])original.Clone();
                for (var k = 0; k < 4; k++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                ReadOrFormatError(bytes, $"{name} round {round}");
            }
        }
    }

    [Fact]
    public void A_hostile_length_is_rejected_before_allocating()
    {
        // Explicit VR LE OB element claiming 2 GB of value in a 20-byte stream.
        byte[] bytes = [0x09, 0x00, 0x10, 0x10, (byte)'O', (byte)'B', 0, 0, 0xF0, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4, 5, 6, 7, 8];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => DicomStreamReader.Read(new MemoryStream(bytes), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal((uint)0x00091010, ex.Tag!.Value.Value);
    }

    [Fact]
    public void Errors_name_the_file_offset_and_element_but_no_value()
    {
        var path = TestFiles.PydicomFile("rtplan_truncated.dcm");
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Offset > 0);
        Assert.NotNull(ex.Tag);
    }

    [Fact]
    public void A_gzip_file_is_not_dicom()
    {
        Assert.Throws<DicomFormatException>(() => DicomFile.Open(TestFiles.PydicomFile("zipMR.gz")));
    }

    private static void ReadOrFormatError(ReadOnlyMemory<byte> bytes, string what)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var task = Task.Run(() =>
        {
            try
            {
                var file = DicomFileReader.Read(new MemoryStream(bytes.ToArray(), writable: false), sourceName: what);
                _ = DicomJsonText(file);
            }
            catch (DicomFormatException)
            {
            }
        });
        try
        {
            Assert.True(task.Wait(TimeSpan.FromSeconds(10)), $"reader hung on {what}");
        }
        catch (AggregateException ex)
        {
            Assert.Fail($"{what}: {ex.InnerException}");
        }

        _ = before;
    }

    private static string DicomJsonText(DicomFile file) => Json.DicomJsonWriter.Serialize(file.Dataset);
}
