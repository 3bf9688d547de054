using System.Text.Json;
using Draw.Dicom.Core;
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
    /// <summary>
    /// A scan reads with one <see cref="HeaderTextCache"/> per reading thread: over every sample file in turn (character
    /// sets switching between files), the headers must be those read without it, and a series' repeated text shared.
    /// </summary>
    [Fact]
    public void Headers_read_through_one_text_cache_equal_headers_read_without_it()
    {
        var cache = new HeaderTextCache();
        var compared = 0;
        var shared = 0;
        InstanceHeader? previous = null;
        foreach (var path in Directory.EnumerateFiles(RepoPaths.DicomSamples, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            DicomDataset dataset;
            InstanceHeader expected;
            try
            {
                if (DicomFileReader.ReadIfDicom(path, InstanceHeader.ReadOptions) is not { } file)
                {
                    continue;
                }

                dataset = file.Dataset;
                expected = InstanceHeader.From(dataset);
            }
            catch (Exception ex) when (ex is DicomFormatException or MissingHeaderException)
            {
                continue;
            }

            var actual = InstanceHeader.From(dataset, cache);
            Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
            if (previous?.SeriesInstanceUid == actual.SeriesInstanceUid && ReferenceEquals(previous.SeriesInstanceUid, actual.SeriesInstanceUid))
            {
                shared++;
            }

            previous = actual;
            compared++;
        }

        Assert.True(compared > 300, $"only {compared} files compared");
        // Files of one series follow each other in most sample folders: their UIDs came from the cache.
        Assert.True(shared > 100, $"only {shared} headers shared their series UID with the one before");
    }

    [Fact]
    public void The_same_bytes_under_another_character_set_are_decoded_again()
    {
        var cache = new HeaderTextCache();
        var latin1 = Dataset("ISO_IR 100");
        var utf8 = Dataset("ISO_IR 192");
        var first = InstanceHeader.From(latin1, cache);
        var second = InstanceHeader.From(utf8, cache);
        Assert.Equal("Dé^Ø", first.PatientName);
        Assert.Equal(InstanceHeader.From(utf8).PatientName, second.PatientName);
        Assert.NotEqual(first.PatientName, second.PatientName);

        static DicomDataset Dataset(string characterSet)
        {
            var dataset = new DicomDataset();
            dataset.SetString(DicomTags.SpecificCharacterSet, characterSet);
            dataset.SetString(DicomTags.StudyInstanceUID, "1.2.3");
            dataset.SetString(DicomTags.SeriesInstanceUID, "1.2.3.4");
            dataset.SetString(DicomTags.SOPInstanceUID, "1.2.3.4.5");
            // "Dé^Ø" in ISO 8859-1: the same bytes are not valid UTF-8.
            dataset.Add(new DicomElement(DicomTags.PatientName, DicomVR.PN, new byte[] { 0x44, 0xE9, 0x5E, 0xD8 }));
            return dataset;
        }
    }
}
