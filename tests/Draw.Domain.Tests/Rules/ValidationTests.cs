using Draw.Domain.Rules;

namespace Draw.Domain.Tests.Rules;

/// <summary>Rule values are checked against the tag's VR; each message names the tag, the VR and the rule broken.</summary>
public sealed class ValidationTests
{
    [Theory]
    [InlineData("Modality", RuleOperator.EqualTo, "A VERY LONG MODALITY", "Modality (0008,0060) is CS: a value has at most 16 characters")]
    [InlineData("Modality", RuleOperator.EqualTo, "C-T", "Modality (0008,0060) is CS: a code string holds only letters, digits, space and underscore")]
    [InlineData("Modality", RuleOperator.EqualTo, "CT\\MR", "Modality (0008,0060) is CS: a value cannot contain '\\' (it separates the values of a multi-valued tag)")]
    [InlineData("StudyDate", RuleOperator.EqualTo, "20240231", "StudyDate (0008,0020) is DA: a date must be a valid YYYYMMDD")]
    [InlineData("StudyDate", RuleOperator.GreaterThan, "2024-01-01", "StudyDate (0008,0020) is DA: a date is written YYYYMMDD, without separators (2024-01-31 is 20240131)")]
    [InlineData("StudyDate", RuleOperator.EqualTo, "202401011", "StudyDate (0008,0020) is DA: a value has at most 8 characters")]
    [InlineData("StudyTime", RuleOperator.LessThan, "25", "StudyTime (0008,0030) is TM: a time must be HHMMSS.FFFFFF (HH, HHMM or HHMMSS, optional fraction)")]
    [InlineData("AcquisitionDateTime", RuleOperator.LessThan, "2024-01", "AcquisitionDateTime (0008,002A) is DT: a date-time must be YYYYMMDDHHMMSS.FFFFFF with an optional &ZZXX offset")]
    [InlineData("Rows", RuleOperator.GreaterThan, "70000", "Rows (0028,0010) is US: a value must be a whole number from 0 to 65535")]
    [InlineData("SliceThickness", RuleOperator.EqualTo, "thin", "SliceThickness (0018,0050) is DS: a decimal string must be a number (e.g. 2.5 or 1e3)")]
    [InlineData("InstanceNumber", RuleOperator.EqualTo, "1.5", "InstanceNumber (0020,0013) is IS: an integer string must be a whole number from -2147483648 to 2147483647")]
    [InlineData("PatientAge", RuleOperator.EqualTo, "83", "PatientAge (0010,1010) is AS: an age must be nnnD, nnnW, nnnM or nnnY (e.g. 045Y)")]
    [InlineData("SeriesInstanceUID", RuleOperator.EqualTo, "1.2.abc", "SeriesInstanceUID (0020,000E) is UI: a UID holds only digits and dots")]
    [InlineData("StationName", RuleOperator.EqualTo, "A STATION NAME LONGER", "StationName (0008,1010) is SH: a value has at most 16 characters")]
    [InlineData("ProtocolName", RuleOperator.MatchesRegex, "([", "ProtocolName (0018,1030) is LO: not a valid regular expression")]
    [InlineData("ProtocolName", RuleOperator.IsOneOf, " | ", "ProtocolName (0018,1030) is LO: 'is one of' needs at least one value (separate values with '|')")]
    [InlineData("Modality", RuleOperator.IsOneOf, "CT|M-R", "Modality (0008,0060) is CS: a code string holds only letters, digits, space and underscore")]
    [InlineData("ProtocolName", RuleOperator.EqualTo, "", "ProtocolName (0018,1030) is LO: 'equals' needs a value (use 'exists' or 'does not exist' to test presence)")]
    [InlineData("ProtocolName", RuleOperator.GreaterThan, "5", "ProtocolName (0018,1030) is LO: the operator 'is greater than' does not apply; use one of:")]
    [InlineData("Rows", RuleOperator.Contains, "5", "Rows (0028,0010) is US: the operator 'contains (case-sensitive)' does not apply; use one of:")]
    [InlineData("ReferencedImageSequence", RuleOperator.EqualTo, "x", "ReferencedImageSequence (0008,1140) is SQ: the operator 'equals' does not apply; use one of: exists, does not exist")]
    [InlineData("(0013,1010)", RuleOperator.GreaterThan, "abc", "(0013,1010) (not in the dictionary): 'is greater than' needs a number")]
    public void A_value_that_breaks_its_VR_rules_is_refused_with_a_clear_message(string tag, RuleOperator op, string value, string expected)
    {
        var errors = Validate(tag, op, value);

        var error = Assert.Single(errors);
        Assert.StartsWith("set, rule 1: " + expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Modality", RuleOperator.EqualTo, "CT")]
    [InlineData("Modality", RuleOperator.ExactMatchIgnoreCase, "ct")]
    [InlineData("ProtocolName", RuleOperator.ContainsIgnoreCase, "thorax")]
    [InlineData("StudyDate", RuleOperator.Contains, "2024")]
    [InlineData("StudyDate", RuleOperator.GreaterThanOrEqual, "20240101")]
    [InlineData("StudyTime", RuleOperator.LessThan, "1200")]
    [InlineData("SliceThickness", RuleOperator.LessThanOrEqual, "2.5")]
    [InlineData("Rows", RuleOperator.IsOneOf, "256|512")]
    [InlineData("PatientAge", RuleOperator.EqualTo, "045Y")]
    [InlineData("ReferencedImageSequence", RuleOperator.Exists, "")]
    [InlineData("(0013,1010)", RuleOperator.ContainsIgnoreCase, "sarcoma")]
    [InlineData("(0029,1010)", RuleOperator.LessThan, "5")]
    public void A_value_that_fits_its_VR_is_accepted(string tag, RuleOperator op, string value)
    {
        Assert.Empty(Validate(tag, op, value));
    }

    [Theory]
    [InlineData("NotAKeyword", "set, rule 1: 'NotAKeyword' is neither a DICOM keyword nor a tag as (gggg,eeee)")]
    [InlineData("Modality[0].CodeValue", "set, rule 1: Modality (0008,0060) is not a sequence; only sequences take an item index")]
    [InlineData("Modality.CodeValue", "set, rule 1: Modality (0008,0060) is not a sequence, so no tag can follow it")]
    [InlineData("(0012,0064)[0]", "set, rule 1: a path cannot end with an item index; name the attribute inside the item")]
    [InlineData("(0012,0064)[x](0008,0100)", "set, rule 1: an item index must be [n] (from 0) or [*], at position 12 of '(0012,0064)[x](0008,0100)'")]
    [InlineData("", "set, rule 1: the tag is empty")]
    public void A_tag_path_that_does_not_parse_is_refused(string tag, string expected)
    {
        Assert.Equal([expected], Validate(tag, RuleOperator.Exists, ""));
    }

    [Fact]
    public void Empty_groups_and_rulesets_are_refused()
    {
        Assert.Equal(["the group has no ruleset"], RuleCompiler.Validate(new RuleGroupDraft { Name = "g", TemplateId = 1 }.ToEntity()));
        Assert.Equal(["empty: has no rule"], RuleCompiler.Validate(new RuleGroupDraft { Name = "g", TemplateId = 1, RuleSets = [new RuleSetDraft("empty", [])] }.ToEntity()));
    }

    [Fact]
    public void The_editor_offers_the_operators_of_the_VR()
    {
        Assert.DoesNotContain(RuleOperator.GreaterThan, RuleValueRules.OperatorsFor(Dicom.Core.DicomVR.LO));
        Assert.Contains(RuleOperator.GreaterThan, RuleValueRules.OperatorsFor(Dicom.Core.DicomVR.DA));
        Assert.Contains(RuleOperator.ContainsIgnoreCase, RuleValueRules.OperatorsFor(Dicom.Core.DicomVR.TM));
        Assert.DoesNotContain(RuleOperator.Contains, RuleValueRules.OperatorsFor(Dicom.Core.DicomVR.US));
        Assert.Equal([RuleOperator.Exists, RuleOperator.DoesNotExist], RuleValueRules.OperatorsFor(Dicom.Core.DicomVR.SQ));
        Assert.Equal(16, RuleValueRules.OperatorsFor(Dicom.Core.DicomVR.DT).Count);
    }

    [Fact]
    public void The_tag_picker_finds_by_keyword_name_or_tag()
    {
        Assert.Equal("(0018,1030)", TagSearch.Find("ProtocolName")[0].Tag);
        Assert.Equal("ProtocolName", TagSearch.Find("(0018,1030)")[0].Keyword);
        Assert.Contains(TagSearch.Find("protocol name"), t => t.Keyword == "ProtocolName");
        Assert.Equal("LO", TagSearch.Find("0018,1030")[0].VR);
    }

    [Fact]
    public void The_DRAW_client_operator_names_are_understood()
    {
        Assert.True(RuleOperators.TryParse("CASE_INSENSITIVE_STRING_CONTAINS", out var op));
        Assert.Equal(RuleOperator.ContainsIgnoreCase, op);
        Assert.True(RuleOperators.TryParse("GREATER_THAN_OR_EQUAL_TO", out op));
        Assert.Equal(RuleOperator.GreaterThanOrEqual, op);
        Assert.True(RuleOperators.TryParse("EQUALS", out op));
        Assert.Equal(RuleOperator.EqualTo, op);
        Assert.False(RuleOperators.TryParse("SOUNDS_LIKE", out _));
    }

    private static IReadOnlyList<string> Validate(string tag, RuleOperator op, string value) =>
        RuleCompiler.Validate(new RuleGroupDraft { Name = "g", TemplateId = 1, RuleSets = [new RuleSetDraft("set", [new RuleDraft(tag, op, value)])] }.ToEntity());
}
