using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Dicom.Tests.IO;

public sealed class UnlockedFileTests
{
    [Fact]
    public void Reads_seeks_and_measures_a_file_as_a_FileStream_does()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "data.bin");
        var bytes = new byte[10_000];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        using var stream = UnlockedFile.OpenRead(path);
        Assert.True(stream.CanRead && stream.CanSeek && !stream.CanWrite);
        Assert.Equal(bytes.Length, stream.Length);
        var first = new byte[4096];
        Assert.Equal(4096, stream.Read(first, 0, first.Length));
        Assert.Equal(bytes.AsSpan(0, 4096).ToArray(), first);
        Assert.Equal(4096, stream.Position);

        stream.Seek(-100, SeekOrigin.End);
        var tail = new byte[500];
        Assert.Equal(100, stream.Read(tail));
        Assert.Equal(bytes.AsSpan(bytes.Length - 100).ToArray(), tail.AsSpan(0, 100).ToArray());
        Assert.Equal(0, stream.Read(tail));

        stream.Position = 10;
        stream.Seek(5, SeekOrigin.Current);
        Assert.Equal(bytes[15], (byte)stream.ReadByte());
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
    }

    [Fact]
    public void A_missing_file_or_a_folder_fails_with_the_usual_exceptions()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => UnlockedFile.OpenRead(Path.Combine(folder.Path, "missing.dcm")));
        Assert.Throws<DirectoryNotFoundException>(() => UnlockedFile.OpenRead(Path.Combine(folder.Path, "no", "missing.dcm")));
        // A folder opens (open(2) allows it) but cannot be read: an IOException, which the scanner records as unreadable.
        Assert.ThrowsAny<IOException>(() =>
        {
            using var stream = UnlockedFile.OpenRead(folder.Path);
            stream.ReadByte();
        });
    }

    [Fact]
    public void The_handle_is_closed_with_the_stream()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        for (var i = 0; i < 50; i++)
        {
            using (var stream = UnlockedFile.OpenRead(path))
            {
                stream.ReadByte();
                Assert.Equal(1, DescriptorsOn(path));
            }

            // Counted by target, not in total: tests running beside this one open and close files of their own.
            Assert.Equal(0, DescriptorsOn(path));
        }
    }

    /// <summary>This process's open descriptors that refer to <paramref name="path"/>.</summary>
    private static int DescriptorsOn(string path)
    {
        var count = 0;
        foreach (var descriptor in Directory.EnumerateFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(descriptor).LinkTarget == path)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed by another thread while listed.
            }
        }

        return count;
    }
}
