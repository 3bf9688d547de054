using Draw.Dicom.Network.Client;
using Draw.Testing;

namespace Draw.Dicom.Tests.Network;

public sealed class ReadAheadFileStreamTests
{
    [Theory]
    [InlineData(0, 100)]
    [InlineData(133, 16378)]
    [InlineData(7, 70000)]
    [InlineData(300_000, 1)]
    public void Reads_the_file_from_its_offset_in_any_chunk_size(int offset, int chunk)
    {
        using var folder = new TempFolder("draw-readahead");
        var path = Path.Combine(folder.Path, "data.bin");
        var bytes = new byte[300_001];
        new Random(42).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        using var stream = new ReadAheadFileStream(path, offset, new byte[64 * 1024]);
        Assert.Equal(bytes.Length, stream.Length);
        Assert.Equal(offset, stream.Position);
        var read = new MemoryStream();
        var buffer = new byte[chunk];
        for (var n = stream.Read(buffer); n > 0; n = stream.Read(buffer))
        {
            read.Write(buffer, 0, n);
            Assert.Equal(offset + read.Length, stream.Position);
        }

        Assert.Equal(bytes.AsSpan(offset).ToArray(), read.ToArray());
    }
}
