using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Dicom.Tests.IO;

public sealed class KernelCopyTests
{
    private const int SourceLength = 300_000;

    [Fact]
    public void The_kernel_copy_and_the_buffered_copy_write_the_same_range_to_the_same_place_and_nothing_else()
    {
        using var folder = new TempFolder();
        var source = Path.Combine(folder.Path, "source.bin");
        var bytes = new byte[SourceLength];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(source, bytes);
        const long from = 1_234, to = 777, length = 200_001;
        var expected = Background(SourceLength);
        bytes.AsSpan((int)from, (int)length).CopyTo(expected.AsSpan((int)to));

        var kernel = CopyInto(folder, "kernel.bin", source, from, to, length, allowKernel: true, out var usedKernel);
        var buffered = CopyInto(folder, "buffered.bin", source, from, to, length, allowKernel: false, out var usedKernelWhenRefused);

        Assert.Equal(expected, kernel);
        Assert.Equal(expected, buffered);
        // On Linux the kernel did the copy (the temp folder's file system supports copy_file_range); elsewhere the buffer did.
        Assert.Equal(OperatingSystem.IsLinux(), usedKernel);
        Assert.False(usedKernelWhenRefused);
    }

    [Fact]
    public void A_source_the_kernel_refuses_falls_back_to_the_buffered_copy()
    {
        // copy_file_range only takes regular files: from a character device it answers EINVAL.
        using var folder = new TempFolder();
        var expected = Background(4096);
        expected.AsSpan(100, 3000).Clear();

        var copied = CopyInto(folder, "out.bin", "/dev/zero", 5, 100, 3000, allowKernel: true, out var usedKernel, size: 4096);

        Assert.False(usedKernel);
        Assert.Equal(expected, copied);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_range_past_the_end_of_the_source_is_an_IO_error(bool allowKernel)
    {
        using var folder = new TempFolder();
        var source = Path.Combine(folder.Path, "short.bin");
        File.WriteAllBytes(source, new byte[1000]);

        var error = Assert.Throws<IOException>(() => CopyInto(folder, "out.bin", source, 500, 0, 1000, allowKernel, out _));

        Assert.Contains("shorter", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A recognisable pattern, so bytes the copy must not touch can be checked.</summary>
    private static byte[] Background(int size)
    {
        var b = new byte[size];
        for (var i = 0; i < size; i++)
        {
            b[i] = (byte)(i * 31 + 5);
        }

        return b;
    }

    private static byte[] CopyInto(TempFolder folder, string name, string source, long from, long to, long length, bool allowKernel, out bool usedKernel, int size = SourceLength)
    {
        var path = Path.Combine(folder.Path, name);
        File.WriteAllBytes(path, Background(size));
        using (var input = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var output = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            usedKernel = KernelCopy.Copy(input, from, output, to, length, allowKernel);
        }

        return File.ReadAllBytes(path);
    }
}
