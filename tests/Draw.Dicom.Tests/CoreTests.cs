using System.Text;
using Draw.Dicom.Core;
using Draw.Dicom.Core.Values;
using Draw.Dicom.IO;
using Draw.Dicom.Json;

namespace Draw.Dicom.Tests;

public sealed class CoreTests
{
    [Fact]
    public void Dictionary_knows_keywords_vrs_multiplicity_and_retired_entries()
    {
        var e = DicomDictionary.Find(DicomTags.PatientName)!;
        Assert.Equal("PatientName", e.Keyword);
        Assert.Equal("Patient's Name", e.Name);
        Assert.Equal(DicomVR.PN, e.VR);
        Assert.Equal("1", e.Multiplicity);
        Assert.True(DicomDictionary.Find(new DicomTag(0x00080001))!.IsRetired);
        Assert.Equal([DicomVR.US, DicomVR.SS], DicomDictionary.GetVRs(DicomTags.SmallestImagePixelValue));
        Assert.True(DicomDictionary.TryGetTag("ImagePositionPatient", out var t) && t == new DicomTag(0x0020, 0x0032));
    }

    [Fact]
    public void Repeating_groups_private_creators_and_group_lengths_resolve()
    {
        Assert.Equal("OverlayData", DicomDictionary.GetKeyword(new DicomTag(0x6002, 0x3000)));
        Assert.Equal([DicomVR.OB, DicomVR.OW], DicomDictionary.GetVRs(new DicomTag(0x6002, 0x3000)));
        Assert.Equal(DicomVR.LO, DicomDictionary.GetVR(new DicomTag(0x0029, 0x0010)));
        Assert.Equal(DicomVR.UL, DicomDictionary.GetVR(new DicomTag(0x0029, 0x0000)));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(new DicomTag(0x0029, 0x1010)));
        Assert.True(new DicomTag(0x0029, 0x1010).IsPrivate);
        Assert.Equal(new DicomTag(0x0029, 0x0010), new DicomTag(0x0029, 0x1010).PrivateCreatorTag);
    }

    [Fact]
    public void All_34_vrs_parse_and_know_their_header_form()
    {
        var vrs = Enum.GetValues<DicomVR>().Where(v => v != DicomVR.None).ToList();
        Assert.Equal(34, vrs.Count);
        foreach (var vr in vrs)
        {
            Assert.True(DicomVRInfo.TryParse(vr.Code(), out var parsed) && parsed == vr);
        }

        Assert.True(DicomVR.OV.HasLongExplicitLength() && DicomVR.SV.HasLongExplicitLength() && DicomVR.UV.HasLongExplicitLength());
        Assert.True(DicomVR.UC.HasLongExplicitLength() && DicomVR.UR.HasLongExplicitLength());
        Assert.False(DicomVR.LO.HasLongExplicitLength());
        Assert.Equal(8, DicomVR.SV.UnitSize());
    }

    [Fact]
    public void Uid_registry_names_transfer_syntaxes_and_sop_classes()
    {
        Assert.Equal("CT Image Storage", DicomUids.GetName(DicomUids.CTImageStorage));
        Assert.Equal("RT Structure Set Storage", DicomUids.GetName("1.2.840.10008.5.1.4.1.1.481.3"));
        var ts = DicomTransferSyntax.Lookup("1.2.840.10008.1.2.2");
        Assert.True(ts.IsBigEndian && ts.IsExplicitVR && ts.IsRetired);
        Assert.True(DicomTransferSyntax.Lookup("1.2.840.10008.1.2.1.99").IsDeflated);
        Assert.True(DicomTransferSyntax.Lookup("1.2.3.4").IsUnknown);
    }

    [Fact]
    public void Uid_generator_stays_under_64_characters()
    {
        var uid = DicomUidGenerator.Default.Generate();
        Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
        Assert.True(DicomUidGenerator.IsValid(uid));
        var longRoot = new DicomUidGenerator("1.2.826.0.1.3680043.10.1234.5678.9012.3456.7890");
        for (var i = 0; i < 200; i++)
        {
            var u = longRoot.Generate();
            Assert.True(u.Length <= 64 && DicomUidGenerator.IsValid(u), u);
        }

        Assert.True(DicomUidGenerator.IsValid(DicomUidGenerator.ImplementationClassUid));
        Assert.True(DicomUidGenerator.ImplementationVersionName.Length <= 16);
    }

    [Fact]
    public void Dates_times_and_datetimes_parse()
    {
        Assert.True(DicomDateTimeParser.TryParseDate("20240229", out var d) && d == new DateOnly(2024, 2, 29));
        Assert.True(DicomDateTimeParser.TryParseDate("1997.04.30", out _));
        Assert.False(DicomDateTimeParser.TryParseDate("20230229", out _));
        Assert.True(DicomDateTimeParser.TryParseTime("072730.5", out var t) && t == new TimeOnly(7, 27, 30, 500));
        Assert.True(DicomDateTimeParser.TryParseTime("07", out var h) && h == new TimeOnly(7, 0));
        Assert.True(DicomDateTimeParser.TryParseTime("10:20:30", out _));
        Assert.True(DicomDateTimeParser.TryParseDateTime("20240102030405.123456-0500", out var dt, out var off));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1234560), dt);
        Assert.Equal(TimeSpan.FromHours(-5), off);
    }

    [Fact]
    public void Typed_getters_read_a_real_ct_header()
    {
        var ds = DicomFile.OpenHeader(TestFiles.PydicomFile("CT_small.dcm")).Dataset;
        Assert.Equal(new DateOnly(2004, 1, 19), ds.GetDate(DicomTags.StudyDate));
        Assert.Equal(128, ds.GetInt32(DicomTags.Rows));
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], ds.GetStrings(DicomTags.ImageType));
        Assert.Equal(3, ds.GetDoubles(DicomTags.ImagePositionPatient).Length);
        Assert.Equal("CompressedSamples", ds.GetPersonName(DicomTags.PatientName)!.FamilyName);
        Assert.Equal(0.661468, ds.GetDouble(DicomTags.PixelSpacing)!.Value, 6);
        Assert.False(ds.Contains(DicomTags.PixelData));
        Assert.True(ds.StoppedAtOffset > 0);
    }

    [Fact]
    public void Setters_validate_pad_and_round_trip()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.Modality, "CT");
        ds.SetString(DicomTags.PatientID, "ABC");
        Assert.Equal(4, ds.Find(DicomTags.PatientID)!.Length);
        ds.SetDate(DicomTags.StudyDate, new DateOnly(2024, 5, 6));
        ds.SetDecimalString(DicomTags.SliceThickness, 1.0 / 3.0);
        ds.SetIntegerString(DicomTags.InstanceNumber, 12);
        ds.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 512);
        ds.SetAttributeTags(DicomTags.FrameIncrementPointer, DicomTags.FrameTime);
        ds.SetPersonName(DicomTags.PatientName, DicomPersonName.Parse("Doe^John"));
        Assert.True(ds.GetString(DicomTags.SliceThickness)!.Length <= 16);
        Assert.Equal(12, ds.GetInt32(DicomTags.InstanceNumber));
        Assert.Equal(512, ds.GetInt32(DicomTags.Rows));
        Assert.Equal(DicomTags.FrameTime, ds.GetAttributeTags(DicomTags.FrameIncrementPointer)[0]);
        Assert.Throws<ArgumentException>(() => ds.SetString(DicomTags.Modality, "ct"));
        Assert.Throws<ArgumentException>(() => ds.SetString(DicomTags.PatientID, new string('x', 65)));
        Assert.Throws<ArgumentException>(() => ds.SetString(DicomTags.SOPInstanceUID, "1.2.abc"));
        Assert.Throws<ArgumentException>(() => ds.SetString(DicomTags.StudyDate, "20241301"));
        Assert.Equal(DicomTags.Modality, ds.Elements[0].Tag < ds.Elements[1].Tag ? ds.Elements.First(e => e.Tag == DicomTags.Modality).Tag : default);
    }

    [Fact]
    public void Private_blocks_are_found_and_reserved()
    {
        var ds = DicomFile.Open(TestFiles.PydicomFile("CT_small.dcm")).Dataset;
        var tag = ds.GetPrivateTag(0x0009, "GEMS_IDEN_01", 0x01);
        Assert.Equal(new DicomTag(0x0009, 0x1001), tag);
        Assert.Equal("GEMS_IDEN_01", ds.GetPrivateCreator(tag!.Value));
        var mine = ds.GetPrivateTag(0x0009, "DRAW 1.0", 0x10, reserve: true)!.Value;
        Assert.Equal(0x10, mine.Element & 0xFF);
        Assert.Equal("DRAW 1.0", ds.GetPrivateCreator(mine));
    }

    [Fact]
    public void Header_only_parse_allocates_little()
    {
        var folder = Path.Combine(TestFiles.SamplesFolder, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image");
        Assert.True(Directory.Exists(folder), $"missing {folder}");
        var path = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).First();
        for (var i = 0; i < 20; i++)
        {
            DicomFile.OpenHeader(path);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        const int runs = 50;
        for (var i = 0; i < runs; i++)
        {
            DicomFile.OpenHeader(path);
        }

        var perParse = (GC.GetAllocatedBytesForCurrentThread() - before) / runs;
        Console.WriteLine($"header-only parse of a 512x512 CT: {perParse} bytes allocated");
        Assert.True(perParse < 64 * 1024, $"{perParse} bytes per header-only parse");
    }

    [Fact]
    public void Pixel_data_stays_in_the_file_until_asked()
    {
        var path = TestFiles.Sample("github-cornerstonejs-dicomParser/testImages/CT1_UNC.explicit_little_endian.dcm");
        var pixels = DicomFile.Open(path).Dataset.Find(DicomTags.PixelData)!;
        Assert.NotNull(pixels.BulkData);
        Assert.True(pixels.BulkData!.IsInFile);
        Assert.Equal(512 * 512 * 2, pixels.GetBytes().Length);
    }

    [Fact]
    public void Big_endian_values_are_little_endian_in_the_model()
    {
        var le = DicomFile.Open(TestFiles.PydicomFile("MR_small.dcm")).Dataset;
        var be = DicomFile.Open(TestFiles.PydicomFile("MR_small_bigendian.dcm")).Dataset;
        Assert.Equal(le.GetInt32(DicomTags.Rows), be.GetInt32(DicomTags.Rows));
        Assert.True(le.Find(DicomTags.PixelData)!.GetBytes().Span.SequenceEqual(be.Find(DicomTags.PixelData)!.GetBytes().Span));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.2")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    public void Writing_in_each_native_syntax_reads_back_the_same(string uid)
    {
        var file = DicomFile.Open(TestFiles.PydicomFile("rtdose.dcm"));
        using var ms = new MemoryStream();
        var syntax = DicomTransferSyntax.Lookup(uid);
        DicomFileWriter.Write(ms, file, new DicomWriteOptions { TransferSyntax = syntax });
        ms.Position = 0;
        var back = DicomFileReader.Read(ms);
        Assert.Equal(uid, back.TransferSyntax.Uid);
        Assert.Equal(DicomUidGenerator.ImplementationClassUid, back.FileMetaInformation.GetString(new DicomTag(0x00020012)));
        Assert.Null(RoundTripTests.SameDataset(file.Dataset, back.Dataset));
    }

    [Fact]
    public void Encapsulated_pixel_data_keeps_its_syntax_and_fragments()
    {
        var file = DicomFile.Open(TestFiles.Sample("github-cornerstonejs-dicomParser/testImages/encapsulated/multi-frame/CT0012.fragmented_no_bot_jpeg_ls.80.dcm"));
        var fragments = (DicomFragmentSequence)file.Dataset.Find(DicomTags.PixelData)!;
        Assert.True(fragments.Fragments.Count > 2);
        using var ms = new MemoryStream();
        DicomFileWriter.Write(ms, file);
        ms.Position = 0;
        var back = DicomFileReader.Read(ms);
        Assert.Equal(file.TransferSyntax.Uid, back.TransferSyntax.Uid);
        Assert.Null(RoundTripTests.SameDataset(file.Dataset, back.Dataset));
        Assert.Throws<InvalidOperationException>(() => DicomFileWriter.Write(new MemoryStream(), file, new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian }));
    }

    [Fact]
    public void Streaming_reader_reads_a_body_from_a_non_seekable_stream()
    {
        var file = DicomFile.Open(TestFiles.PydicomFile("rtplan.dcm"));
        var body = new MemoryStream();
        DicomDatasetWriter.Write(body, file.Dataset, DicomTransferSyntax.ImplicitVRLittleEndian);
        var ds = DicomStreamReader.Read(new ForwardOnlyStream(body.ToArray()), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Null(RoundTripTests.SameDataset(file.Dataset, ds));
    }

    [Fact]
    public void Files_are_written_atomically()
    {
        var dir = Directory.CreateTempSubdirectory("draw-dicom-atomic-").FullName;
        try
        {
            var target = Path.Combine(dir, "out.dcm");
            var file = DicomFile.Open(TestFiles.PydicomFile("CT_small.dcm"));
            file.Save(target);
            file.Save(target);
            Assert.Equal(["out.dcm"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(new byte[] { (byte)'D', (byte)'I', (byte)'C', (byte)'M' }, File.ReadAllBytes(target).AsSpan(128, 4).ToArray());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Json_model_follows_ps3_18_f2()
    {
        var ds = DicomFile.Open(TestFiles.PydicomFile("rtplan.dcm")).Dataset;
        using var doc = System.Text.Json.JsonDocument.Parse(DicomJsonWriter.Serialize(ds));
        var root = doc.RootElement;
        Assert.Equal("PN", root.GetProperty("00100010").GetProperty("vr").GetString());
        Assert.True(root.GetProperty("00100010").GetProperty("Value")[0].TryGetProperty("Alphabetic", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Number, root.GetProperty("00200011").GetProperty("Value")[0].ValueKind);
        var sq = root.GetProperty("300A0010");
        Assert.Equal("SQ", sq.GetProperty("vr").GetString());
        Assert.Equal(2, sq.GetProperty("Value").GetArrayLength());
        Assert.False(root.GetProperty("00080050").TryGetProperty("Value", out _));

        var ct = DicomFile.Open(TestFiles.PydicomFile("CT_small.dcm")).Dataset;
        var json = DicomJsonWriter.Serialize(ct, new DicomJsonOptions { BulkDataMode = DicomJsonBulkDataMode.Uri, BulkDataUri = (path, e) => $"bulk/{e.Tag.Value:X8}" });
        using var ctDoc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("bulk/7FE00010", ctDoc.RootElement.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
    }

    [Fact]
    public void Text_dump_indents_sequences()
    {
        var file = DicomFile.Open(TestFiles.PydicomFile("rtplan.dcm"));
        var w = new StringWriter();
        DicomTextDump.Write(w, file);
        var text = w.ToString();
        Assert.Contains("(300A,0010) SQ (2 item(s)", text, StringComparison.Ordinal);
        Assert.Contains("    (300A,0012) IS [1] # 2, DoseReferenceNumber", text, StringComparison.Ordinal);
        _ = Encoding.UTF8;
    }

    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _pos;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Short reads, like a network stream.
            var n = Math.Min(Math.Min(count, 7), data.Length - _pos);
            Array.Copy(data, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
