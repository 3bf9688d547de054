using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Rules;
using Draw.Testing.Catalogue;

namespace Draw.Domain.Tests.Rules;

/// <summary>Every operator, table-driven, on real headers: LUNG1-001 CT (explicit VR) and STS_001 MR (implicit VR).</summary>
public sealed class OperatorTests
{
    private static readonly Lazy<DicomDataset> Ct = new(() => DicomFile.OpenHeader(SampleSeries.FirstFile(SampleSeries.LungCt)).Dataset);
    private static readonly Lazy<DicomDataset> Mr = new(() => DicomFile.OpenHeader(SampleSeries.FirstFile(SampleSeries.SarcomaMr)).Dataset);

    [Theory]
    // Equality: CS text, exact and case-sensitive.
    [InlineData("CT", "Modality", RuleOperator.EqualTo, "CT", true)]
    [InlineData("CT", "Modality", RuleOperator.EqualTo, "ct", false)]
    [InlineData("CT", "Modality", RuleOperator.NotEqualTo, "MR", true)]
    [InlineData("CT", "Modality", RuleOperator.NotEqualTo, "CT", false)]
    // DS and IS compare as numbers: "3" equals "3.0".
    [InlineData("CT", "SliceThickness", RuleOperator.EqualTo, "3.0", true)]
    [InlineData("CT", "KVP", RuleOperator.GreaterThan, "100", true)]
    [InlineData("CT", "KVP", RuleOperator.LessThan, "100", false)]
    [InlineData("CT", "KVP", RuleOperator.GreaterThanOrEqual, "120", true)]
    [InlineData("CT", "KVP", RuleOperator.LessThanOrEqual, "119.5", false)]
    [InlineData("CT", "InstanceNumber", RuleOperator.LessThanOrEqual, "1", true)]
    [InlineData("CT", "RescaleIntercept", RuleOperator.LessThan, "-1000", true)]
    // Binary numbers (US).
    [InlineData("CT", "Rows", RuleOperator.EqualTo, "512", true)]
    [InlineData("CT", "Rows", RuleOperator.GreaterThan, "511", true)]
    [InlineData("CT", "Rows", RuleOperator.LessThan, "512", false)]
    [InlineData("MR", "Rows", RuleOperator.LessThan, "512", true)]
    // DA and TM compare as dates and times.
    [InlineData("CT", "StudyDate", RuleOperator.EqualTo, "20080918", true)]
    [InlineData("CT", "StudyDate", RuleOperator.GreaterThan, "20080101", true)]
    [InlineData("CT", "StudyDate", RuleOperator.LessThan, "20080918", false)]
    [InlineData("CT", "StudyDate", RuleOperator.LessThanOrEqual, "20080918", true)]
    [InlineData("MR", "StudyDate", RuleOperator.LessThan, "20010101", true)]
    [InlineData("CT", "StudyTime", RuleOperator.GreaterThan, "1100", true)]
    [InlineData("CT", "StudyTime", RuleOperator.LessThan, "110915.7", true)]
    [InlineData("CT", "StudyTime", RuleOperator.EqualTo, "110915.625", true)]
    // Text operators.
    [InlineData("CT", "ProtocolName", RuleOperator.Contains, "THORAX", true)]
    [InlineData("CT", "ProtocolName", RuleOperator.Contains, "thorax", false)]
    [InlineData("CT", "ProtocolName", RuleOperator.ContainsIgnoreCase, "thorax", true)]
    [InlineData("CT", "ProtocolName", RuleOperator.DoesNotContain, "PELVIS", true)]
    [InlineData("CT", "ProtocolName", RuleOperator.DoesNotContain, "THORAX", false)]
    [InlineData("CT", "ProtocolName", RuleOperator.DoesNotContain, "thorax", true)]
    [InlineData("CT", "ProtocolName", RuleOperator.DoesNotContainIgnoreCase, "thorax", false)]
    [InlineData("CT", "ProtocolName", RuleOperator.ExactMatch, "RCCTPET_THORAX_CONTRAST_dag0", true)]
    [InlineData("CT", "ProtocolName", RuleOperator.ExactMatch, "rcctpet_thorax_contrast_dag0", false)]
    [InlineData("CT", "ProtocolName", RuleOperator.ExactMatchIgnoreCase, "rcctpet_thorax_contrast_dag0", true)]
    [InlineData("MR", "SeriesDescription", RuleOperator.ContainsIgnoreCase, "t2 fat sat", true)]
    // Presence: an empty element does not exist; an absent one neither.
    [InlineData("CT", "Manufacturer", RuleOperator.Exists, "", true)]
    [InlineData("CT", "Manufacturer", RuleOperator.DoesNotExist, "", false)]
    [InlineData("CT", "PatientBirthDate", RuleOperator.Exists, "", false)]
    [InlineData("CT", "PatientBirthDate", RuleOperator.DoesNotExist, "", true)]
    [InlineData("CT", "AdditionalPatientHistory", RuleOperator.DoesNotExist, "", true)]
    [InlineData("CT", "AdditionalPatientHistory", RuleOperator.NotEqualTo, "X", false)]
    // Regular expressions and lists.
    [InlineData("CT", "ProtocolName", RuleOperator.MatchesRegex, @"^RCCT.*dag\d$", true)]
    [InlineData("CT", "ProtocolName", RuleOperator.MatchesRegex, "^THORAX", false)]
    [InlineData("CT", "Modality", RuleOperator.IsOneOf, "MR|CT|PT", true)]
    [InlineData("CT", "Modality", RuleOperator.IsOneOf, "MR | PT", false)]
    [InlineData("CT", "KVP", RuleOperator.IsOneOf, "100|120.0|140", true)]
    [InlineData("CT", "BodyPartExamined", RuleOperator.IsOneOf, "CHEST|LUNG", true)]
    // Other VRs: AS equality.
    [InlineData("CT", "PatientAge", RuleOperator.EqualTo, "083Y", true)]
    [InlineData("CT", "PatientAge", RuleOperator.MatchesRegex, "^0[89]\\dY$", true)]
    // Private tags: LO in the explicit CT, UN in the implicit MR (decoded as text).
    [InlineData("CT", "(0013,1010)", RuleOperator.ExactMatch, "NSCLC-Radiomics", true)]
    [InlineData("MR", "(0013,1010)", RuleOperator.ContainsIgnoreCase, "sarcoma", true)]
    [InlineData("CT", "(0013,1013)", RuleOperator.GreaterThan, "72215019", true)]
    public void An_operator_gives_the_expected_result_on_a_real_header(string header, string tag, RuleOperator op, string value, bool expected)
    {
        var rule = Compile(tag, op, value);

        Assert.Equal(expected, rule.Evaluate(header == "CT" ? Ct.Value : Mr.Value));
    }

    [Theory]
    // ImageType ORIGINAL\PRIMARY\M\ND\NORM: any value may match...
    [InlineData("ImageType", RuleOperator.EqualTo, "M", true)]
    [InlineData("ImageType", RuleOperator.EqualTo, "ORIGINAL\\PRIMARY", false)]
    [InlineData("ImageType", RuleOperator.IsOneOf, "DERIVED|NORM", true)]
    [InlineData("ImageType", RuleOperator.ContainsIgnoreCase, "prim", true)]
    // ...unless the operator says otherwise: negative operators hold only when no value matches.
    [InlineData("ImageType", RuleOperator.NotEqualTo, "ND", false)]
    [InlineData("ImageType", RuleOperator.NotEqualTo, "LOCALIZER", true)]
    [InlineData("SequenceVariant", RuleOperator.DoesNotContain, "SP", false)]
    [InlineData("SequenceVariant", RuleOperator.DoesNotContain, "MP", true)]
    public void Multi_valued_tags_match_on_any_value_and_negations_on_all(string tag, RuleOperator op, string value, bool expected)
    {
        Assert.Equal(expected, Compile(tag, op, value, check: !value.Contains('\\', StringComparison.Ordinal)).Evaluate(Mr.Value));
    }

    [Theory]
    // (0012,0064) De-identification Method Code Sequence: 7 items, Code Values 113100, 113101, 113105, ...
    [InlineData("(0012,0064)[0](0008,0100)", RuleOperator.EqualTo, "113100", true)]
    [InlineData("(0012,0064)[1](0008,0100)", RuleOperator.EqualTo, "113100", false)]
    [InlineData("(0012,0064)(0008,0100)", RuleOperator.EqualTo, "113109", true)]
    [InlineData("(0012,0064)[*](0008,0104)", RuleOperator.ContainsIgnoreCase, "pixel", true)]
    [InlineData("DeidentificationMethodCodeSequence.CodeMeaning", RuleOperator.DoesNotContain, "Pixel", false)]
    [InlineData("DeidentificationMethodCodeSequence[6].CodeValue", RuleOperator.EqualTo, "113111", true)]
    [InlineData("(0012,0064)[9](0008,0100)", RuleOperator.Exists, "", false)]
    [InlineData("(0012,0064)", RuleOperator.Exists, "", true)]
    [InlineData("(0008,1032)[0](0008,0100)", RuleOperator.DoesNotExist, "", true)]
    public void Tag_paths_reach_into_sequences(string path, RuleOperator op, string value, bool expected)
    {
        Assert.Equal(expected, Compile(path, op, value).Evaluate(Mr.Value));
    }

    [Fact]
    public void The_test_result_shows_each_value_found()
    {
        var found = new List<string>();

        Assert.True(Compile("ImageType", RuleOperator.EqualTo, "NORM").Evaluate(Mr.Value, found, out var note));

        Assert.Equal(["ORIGINAL", "PRIMARY", "M", "ND", "NORM"], found);
        Assert.Null(note);
        var sequence = new List<string>();
        Compile("(0012,0064)(0008,0100)", RuleOperator.EqualTo, "113100").Evaluate(Mr.Value, sequence, out _);
        Assert.Equal(7, sequence.Count);
        var missing = new List<string>();
        Assert.False(Compile("PatientBirthDate", RuleOperator.EqualTo, "19500101").Evaluate(Ct.Value, missing, out var absent));
        Assert.Empty(missing);
        Assert.Equal("not present", absent);
    }

    [Fact]
    public void Tag_paths_read_keywords_and_tags_and_print_canonically()
    {
        var path = TagPath.Parse("ProcedureCodeSequence[0].CodeValue");

        Assert.Equal("(0008,1032)[0](0008,0100)", path.Text);
        Assert.Equal("ProcedureCodeSequence[0].CodeValue (0008,1032)[0](0008,0100)", path.Display);
        Assert.Equal(path.Text, TagPath.Parse("(0008,1032)[0](0008,0100)").Text);
        Assert.Equal("(0012,0064)[*](0008,0100)", TagPath.Parse("00120064/00080100").Text);
        Assert.Equal("(0018,1030)", TagPath.Parse("ProtocolName").Text);
    }

    [Fact]
    public void A_pathological_regular_expression_times_out_as_no_match()
    {
        var header = new DicomDataset();
        header.Add(new DicomElement(DicomTags.ProtocolName, DicomVR.LO, System.Text.Encoding.ASCII.GetBytes(new string('a', 60) + "!")));
        var rule = Compile("ProtocolName", RuleOperator.MatchesRegex, "^(a+)+$");
        var found = new List<string>();

        Assert.False(rule.Evaluate(header, found, out var note));
        Assert.Equal("the regular expression timed out on a value", note);
    }

    internal static CompiledRule Compile(string tag, RuleOperator op, string value, bool check = true)
    {
        var group = new RuleGroupDraft
        {
            Name = "test",
            TemplateId = 1,
            RuleSets = [new RuleSetDraft("set", [new RuleDraft(tag, op, value)])],
        }.ToEntity();
        if (!check)
        {
            // Values the editor would refuse (e.g. with a backslash), evaluated anyway to show their meaning.
            return new CompiledRuleForTest(tag, op, value).Rule;
        }

        return RuleCompiler.Compile(group).RuleSets[0].Rules[0];
    }

    private sealed class CompiledRuleForTest(string tag, RuleOperator op, string value)
    {
        public CompiledRule Rule { get; } = new(null, TagPath.Parse(tag), op, value, RuleJoin.And);
    }
}
