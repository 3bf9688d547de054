using Draw.Dicom.Core;
using Draw.Dicom.Core.Text;
using Draw.Dicom.IO;

namespace Draw.Dicom.Tests;

/// <summary>The character-set sample files decode to the expected Unicode names (values checked against pydicom 2.3.1).</summary>
public sealed class CharacterSetTests
{
    public static TheoryData<string, string> PatientNames => new()
    {
        { "chrArab.dcm", "قباني^لنزار" },
        { "chrFren.dcm", "Buc^Jérôme" },
        { "chrFrenMulti.dcm", "Buc^Jérôme" },
        { "chrGerm.dcm", "Äneas^Rüdiger" },
        { "chrGreek.dcm", "Διονυσιος" },
        { "chrH31.dcm", "Yamada^Tarou=山田^太郎=やまだ^たろう" },
        { "chrH32.dcm", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        { "chrHbrw.dcm", "שרון^דבורה" },
        { "chrI2.dcm", "Hong^Gildong=洪^吉洞=홍^길동" },
        { "chrJapMulti.dcm", "やまだ^たろう" },
        { "chrJapMultiExplicitIR6.dcm", "やまだ^たろう" },
        { "chrKoreanMulti.dcm", "김희중" },
        { "chrRuss.dcm", "Люкceмбypг" },
        { "chrX1.dcm", "Wang^XiaoDong=王^小東" },
        { "chrX2.dcm", "Wang^XiaoDong=王^小东" },
    };

    [Theory]
    [MemberData(nameof(PatientNames))]
    public void Patient_name_decodes_to_the_expected_unicode(string file, string expected)
    {
        var ds = DicomFile.Open(TestFiles.CharsetFile(file)).Dataset;
        Assert.Equal(expected, ds.GetPersonName(DicomTags.PatientName)!.ToString());
    }

    [Fact]
    public void Gb2312_with_code_extensions_decodes()
    {
        // pydicom 2.3.1 leaves the ESC $ ) A sequences in this value; PS3.5 J.3 gives the decoded form.
        var ds = DicomFile.Open(TestFiles.Sample("github-fo-dicom/Tests/FO-DICOM.Tests/Test Data/charset/chrGB2312.dcm")).Dataset;
        Assert.Equal("Zhang^XiaoDong=张^小东", ds.GetPersonName(DicomTags.PatientName)!.ToString());
    }

    [Theory]
    [InlineData("chrSQEncoding.dcm")]
    [InlineData("chrSQEncoding1.dcm")]
    public void A_sequence_item_uses_its_own_or_the_inherited_character_set(string file)
    {
        var ds = DicomFile.Open(TestFiles.CharsetFile(file)).Dataset;
        var item = ds.GetItems(DicomTags.RequestedProcedureCodeSequence)[0];
        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", item.GetPersonName(DicomTags.PatientName)!.ToString());
    }

    [Fact]
    public void Multi_valued_names_split_after_decoding()
    {
        var ds = DicomFile.Open(TestFiles.CharsetFile("chrJapMulti.dcm")).Dataset;
        Assert.Equal(["やまだ^たろう", "やまだ^たろう"], ds.GetStrings(DicomTags.OtherPatientNames));
    }

    [Fact]
    public void Misspelled_iso_ir_terms_are_accepted()
    {
        var cs = DicomCharacterSet.FromValue("ISO-IR 100");
        Assert.Empty(cs.UnknownTerms);
        Assert.Equal("é", cs.Decode([0xE9], DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO_IR 101", new byte[] { 0xB1 }, "ą")]
    [InlineData("ISO_IR 109", new byte[] { 0xA1 }, "Ħ")]
    [InlineData("ISO_IR 110", new byte[] { 0xA1 }, "Ą")]
    [InlineData("ISO_IR 148", new byte[] { 0xF0 }, "ğ")]
    [InlineData("ISO_IR 166", new byte[] { 0xA1 }, "ก")]
    [InlineData("GBK", new byte[] { 0xD5, 0xC5 }, "张")]
    [InlineData("ISO_IR 13", new byte[] { 0xB1 }, "ｱ")]
    [InlineData("\\ISO 2022 IR 100", new byte[] { 0x1B, 0x2D, 0x41, 0xE9 }, "é")]
    [InlineData("\\ISO 2022 IR 126", new byte[] { 0x1B, 0x2D, 0x46, 0xE1 }, "α")]
    public void Single_byte_and_extended_sets_decode(string term, byte[] bytes, string expected)
    {
        Assert.Equal(expected, DicomCharacterSet.FromValue(term).Decode(bytes, DicomVR.LO));
    }

    [Fact]
    public void Setting_non_ascii_text_switches_the_dataset_to_utf8()
    {
        var ds = DicomFile.Open(TestFiles.CharsetFile("chrFren.dcm")).Dataset;
        ds.SetString(DicomTags.PatientComments, "山田 and Jérôme");
        Assert.Equal("ISO_IR 192", ds.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Buc^Jérôme", ds.GetString(DicomTags.PatientName));
        Assert.Equal("山田 and Jérôme", ds.GetString(DicomTags.PatientComments));
        Assert.True(DicomCharacterSet.Utf8.IsUtf8);
    }
}
