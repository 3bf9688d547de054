using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Dicom.Tests.IO;

/// <summary>
/// The datastore scan's single-open header read: <see cref="DicomFile.TryOpenHeader"/> must decide "not DICOM"
/// exactly as <see cref="DicomFileProbe"/> does and otherwise read what <see cref="DicomFile.OpenHeader"/> reads.
/// </summary>
public sealed class TryOpenHeaderTests
{
    [Fact]
    public void Every_corpus_file_gets_the_probe_verdict_and_the_same_header_or_the_same_error_as_a_separate_open()
    {
        var files = TestFiles.AllCorpusFiles();
        var dicom = 0;
        var notDicom = 0;
        var errors = 0;
        foreach (var path in files)
        {
            var what = TestFiles.Relative(path);
            var (expected, expectedError) = Outcome(() => DicomFileProbe.LooksLikeDicom(path) ? DicomFile.OpenHeader(path) : null);
            var (actual, actualError) = Outcome(() => DicomFile.TryOpenHeader(path));
            Assert.True(expectedError == actualError, $"{what}: expected error '{expectedError}', got '{actualError}'");
            if (expectedError is not null)
            {
                errors++;
                continue;
            }

            Assert.True((expected is null) == (actual is null), $"{what}: the probe says {(expected is null ? "not DICOM" : "DICOM")}, TryOpenHeader disagrees");
            if (expected is null)
            {
                notDicom++;
                continue;
            }

            dicom++;
            Assert.True(Dump(expected) == Dump(actual!), $"{what}: the headers differ");
            Assert.Equal(expected.TransferSyntax.Uid, actual!.TransferSyntax.Uid);
            Assert.Equal(expected.DatasetOffset, actual.DatasetOffset);
            Assert.Equal(expected.Warnings, actual.Warnings);
        }

        // The corpus holds all three kinds; a filter that let none through would prove nothing.
        Assert.True(dicom > 400, $"{dicom} DICOM files read");
        Assert.True(notDicom > 0, "no non-DICOM file in the corpus");
        Assert.True(errors > 0, "no malformed file in the corpus");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(131)]
    [InlineData(4000)]
    public void Text_files_of_any_length_are_not_dicom(int length)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "notes.txt");
        File.WriteAllText(path, new string('x', length));
        Assert.Null(DicomFile.TryOpenHeader(path));
        Assert.False(DicomFileProbe.LooksLikeDicom(path));
    }

    [Fact]
    public void A_header_longer_than_the_first_read_is_read_whole()
    {
        // 40 private values of 500 bytes before the pixel data: the header read needs several fills of its buffer.
        var source = DicomFile.Open(TestFiles.PydicomFile("CT_small.dcm"));
        var random = new Random(7);
        var values = new List<byte[]>();
        source.Dataset.Add(new DicomElement(new DicomTag(0x00290010), DicomVR.LO, "DRAW TEST "u8.ToArray()));
        for (var k = 0; k < 40; k++)
        {
            var value = new byte[500];
            random.NextBytes(value);
            values.Add(value);
            source.Dataset.Add(new DicomElement(new DicomTag(0x00291010 + (uint)k), DicomVR.OB, value));
        }

        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "big-header.dcm");
        source.Save(path);

        var header = DicomFile.TryOpenHeader(path);
        Assert.NotNull(header);
        Assert.Equal(Dump(DicomFile.OpenHeader(path)), Dump(header));
        for (var k = 0; k < values.Count; k++)
        {
            Assert.Equal(values[k], header.Dataset.Find(new DicomTag(0x00291010 + (uint)k))!.GetBytes().ToArray());
        }

        Assert.Equal(source.Dataset.GetString(DicomTags.SOPInstanceUID), header.Dataset.GetString(DicomTags.SOPInstanceUID));
    }

    private static (DicomFile? File, string? Error) Outcome(Func<DicomFile?> read)
    {
        try
        {
            return (read(), null);
        }
        catch (DicomFormatException ex)
        {
            return (null, ex.Message);
        }
    }

    private static string Dump(DicomFile file)
    {
        using var text = new StringWriter();
        DicomTextDump.Write(text, file, maxValueChars: 4096);
        return text.ToString();
    }
}
