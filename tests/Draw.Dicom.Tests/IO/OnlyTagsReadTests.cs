using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Dicom.Tests.IO;

/// <summary>A header read that keeps only some elements must agree, element for element, with the whole header read.</summary>
public sealed class OnlyTagsReadTests
{
    // Text in several VRs (and character sets), UIDs, a multi-valued string, an integer string, a sequence, elements
    // placed after sequences in most files, and one tag that few files have.
    private static readonly DicomTag[] Wanted =
    [
        DicomTags.ImageType, DicomTags.SOPClassUID, DicomTags.SOPInstanceUID, DicomTags.StudyDate, DicomTags.Modality,
        DicomTags.StudyDescription, DicomTags.ReferencedImageSequence, DicomTags.PatientName, DicomTags.PatientID,
        DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.InstanceNumber, DicomTags.FrameOfReferenceUID,
        DicomTags.Rows,
    ];

    private static readonly DicomReadOptions Kept = DicomReadOptions.HeaderOnly with { OnlyTags = Wanted };

    [Fact]
    public void Every_corpus_file_gives_the_kept_elements_of_its_whole_header_and_no_others()
    {
        var compared = 0;
        var refusedAlike = 0;
        foreach (var path in TestFiles.AllCorpusFiles())
        {
            var (whole, wholeError) = Read(path, DicomReadOptions.HeaderOnly);
            var (kept, keptError) = Read(path, Kept);
            if (wholeError is not null)
            {
                // A file the whole read refuses (cut short, corrupt) is refused by the filtered read too: it still
                // parses up to the pixel data.
                Assert.True(keptError is not null, $"{TestFiles.Relative(path)}: only the whole read refused it ({wholeError})");
                refusedAlike++;
                continue;
            }

            Assert.True(keptError is null, $"{TestFiles.Relative(path)}: only the filtered read refused it ({keptError})");
            if (whole is null)
            {
                Assert.Null(kept);
                continue;
            }

            var expected = whole.Dataset.Where(e => Wanted.Contains(e.Tag) || e.Tag == DicomTags.SpecificCharacterSet).ToList();
            Assert.Equal(expected.Select(e => e.Tag), kept!.Dataset.Select(e => e.Tag));
            foreach (var element in expected)
            {
                var other = kept.Dataset.Find(element.Tag)!;
                Assert.Equal(element.VR, other.VR);
                if (element is DicomSequence sequence)
                {
                    Assert.Equal(sequence.Items.Count, ((DicomSequence)other).Items.Count);
                }
                else
                {
                    Assert.True(element.GetBytes().Span.SequenceEqual(other.GetBytes().Span), $"{TestFiles.Relative(path)}: {element.Tag} differs");
                }
            }

            Assert.Equal(whole.Dataset.GetString(DicomTags.PatientName), kept.Dataset.GetString(DicomTags.PatientName));
            compared++;
        }

        // The corpus holds hundreds of readable files and a few broken ones: both paths were exercised.
        Assert.True(compared > 300, $"only {compared} files compared");
        Assert.True(refusedAlike > 0, "no refused file in the corpus");
    }

    [Fact]
    public void Top_level_elements_out_of_order_are_kept_as_the_whole_read_keeps_them()
    {
        // Modality, PatientID, SeriesDescription (not kept), StudyInstanceUID, then SOPInstanceUID and PatientName
        // after them: a malformed order the filtered read must not lose elements over.
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "unordered.dcm");
        File.WriteAllBytes(path, [.. new byte[128], .. "DICM"u8,
            .. Element(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1\0"),
            .. Element(0x0008, 0x0060, "CS", "CT"),
            .. Element(0x0010, 0x0020, "LO", "PID1"),
            .. Element(0x0008, 0x103E, "LO", "SERIES"),
            .. Element(0x0020, 0x000D, "UI", "1.2.3\0"),
            .. Element(0x0008, 0x0018, "UI", "1.2.4\0"),
            .. Element(0x0010, 0x0010, "PN", "DOE^J "),
        ]);

        var whole = DicomFileReader.ReadIfDicom(path, DicomReadOptions.HeaderOnly)!;
        var kept = DicomFileReader.ReadIfDicom(path, Kept)!;
        var expected = whole.Dataset.Where(e => Wanted.Contains(e.Tag)).Select(e => e.Tag).Order().ToList();
        Assert.Equal([DicomTags.SOPInstanceUID, DicomTags.Modality, DicomTags.PatientName, DicomTags.PatientID, DicomTags.StudyInstanceUID], expected);
        Assert.Equal(expected, kept.Dataset.Select(e => e.Tag).Order());
        Assert.Equal("1.2.4", kept.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal("DOE^J", kept.Dataset.GetString(DicomTags.PatientName));
    }

    /// <summary>One explicit VR little endian element with a 2-byte length.</summary>
    private static byte[] Element(ushort group, ushort element, string vr, string value)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(value);
        return [(byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8), (byte)vr[0], (byte)vr[1],
            (byte)bytes.Length, (byte)(bytes.Length >> 8), .. bytes];
    }

    private static (DicomFile? File, string? Error) Read(string path, DicomReadOptions options)
    {
        try
        {
            return (DicomFileReader.ReadIfDicom(path, options), null);
        }
        catch (DicomFormatException ex)
        {
            return (null, ex.Message);
        }
    }
}
