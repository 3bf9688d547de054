using System.Text.Json;
using Draw.Dicom.IO;
using Draw.Domain.Index;
using Draw.Testing;

namespace Draw.Domain.Tests.Index;

public sealed class InstanceHeaderTests
{
    /// <summary>
    /// The scan reads headers keeping only <see cref="InstanceHeader.Tags"/>: a field added to
    /// <see cref="InstanceHeader.From"/> but not to that list would come back empty from every scan.
    /// </summary>
    [Fact]
    public void The_filtered_header_read_gives_the_same_instance_header_as_the_whole_header_read()
    {
        var files = Directory.EnumerateFiles(RepoPaths.DicomSamples, "*.dcm", SearchOption.AllDirectories)
            .Where(f => f.Contains("github-mirp-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var compared = 0;
        foreach (var path in files)
        {
            InstanceHeader expected;
            try
            {
                expected = InstanceHeader.From(DicomFile.OpenHeader(path).Dataset);
            }
            catch (MissingHeaderException)
            {
                continue;
            }

            var actual = InstanceHeader.From(DicomFileReader.Read(path, InstanceHeader.ReadOptions).Dataset);
            Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
            compared++;
        }

        // CT and MR series with their RTSTRUCTs.
        Assert.True(compared > 150, $"only {compared} files compared");
    }
}
