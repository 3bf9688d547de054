using Draw.Domain.Export;

namespace Draw.Domain.Tests.Export;

public sealed class ExportNamingTests
{
    private static readonly DateTime Stamp = new(2026, 11, 24, 9, 30, 5, DateTimeKind.Local);

    private static ExportFacts Facts(string patientId) => new() { PatientId = patientId, PatientName = "DOE^JANE", SopInstanceUid = "1.2.826.0.1.3680043.8.498.1", Modality = "RTSTRUCT", StudyDate = "20240102" };

    [Theory]
    [InlineData("12/345", "DRAW_12_345_1.2.826.0.1.3680043.8.498.1.dcm")]
    [InlineData(@"..\..\Windows", "DRAW__._.__Windows_1.2.826.0.1.3680043.8.498.1.dcm")]
    [InlineData("a:b*c?d\"e<f>g|h", "DRAW_a_b_c_d_e_f_g_h_1.2.826.0.1.3680043.8.498.1.dcm")]
    [InlineData("..", "DRAW___1.2.826.0.1.3680043.8.498.1.dcm")]
    public void Hostile_patient_ids_become_one_safe_file_name(string patientId, string expected)
    {
        var name = ExportNaming.ExpandName(ExportNaming.DefaultFileName, Facts(patientId), Stamp);

        Assert.Equal(expected, name);
        Assert.DoesNotContain("..", name, StringComparison.Ordinal);
        Assert.Equal(-1, name.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("/etc/passwd")]
    [InlineData(@"..\..")]
    [InlineData("..")]
    [InlineData("CON")]
    public void A_path_pattern_never_leads_outside_the_root(string patientId)
    {
        var destination = new ExportDestination { Name = "share", Kind = DestinationKind.Folder, FolderRoot = "/srv/import", PathPattern = "{PatientID}/{StudyDate}" };

        var target = ExportNaming.FolderTarget(destination, Facts(patientId), Stamp);

        Assert.StartsWith("/srv/import/", target, StringComparison.Ordinal);
        var relative = Path.GetRelativePath("/srv/import", target).Split('/');
        Assert.Equal(3, relative.Length);
        Assert.Equal("20240102", relative[1]);
        Assert.All(relative, part => Assert.False(part.StartsWith('.'), part));
    }

    [Fact]
    public void Reserved_device_names_and_control_characters_are_made_harmless()
    {
        Assert.Equal("_CON", SafeFileName.Clean("CON"));
        Assert.Equal("_nul.txt", SafeFileName.Clean("nul.txt"));
        Assert.Equal("a_b", SafeFileName.Clean("a\u0001b"));
        Assert.Equal("name", SafeFileName.Clean("name. . "));
        Assert.Equal("_", SafeFileName.Clean("   "));
        Assert.Equal(SafeFileName.MaxLength, SafeFileName.Clean(new string('x', 500)).Length);
    }

    [Fact]
    public void Every_placeholder_expands_and_the_timestamp_is_the_one_given()
    {
        var facts = Facts("P1") with { StudyTime = "101010.123", SeriesInstanceUid = "1.2.3", StudyInstanceUid = "1.2", AccessionNumber = "ACC 9", StudyDescription = "Thorax", SeriesDescription = "AI" };
        var all = string.Join("-", ExportNaming.Placeholders.Select(p => "{" + p + "}"));

        var name = ExportNaming.ExpandName(all, facts, Stamp);

        Assert.Equal("P1-DOE^JANE-20240102-101010.123-RTSTRUCT-1.2.826.0.1.3680043.8.498.1-1.2.3-1.2-ACC 9-Thorax-AI-20261124_093005-20261124", name);
    }

    [Theory]
    [InlineData("DRAW_{PatientId}.dcm", "unknown placeholder {PatientId}")]
    [InlineData("DRAW_{PatientID.dcm", "is not closed")]
    [InlineData("DRAW_}PatientID.dcm", "has no '{'")]
    [InlineData("", "must not be empty")]
    public void A_bad_pattern_is_refused_naming_the_field_and_the_placeholder(string pattern, string problem)
    {
        var problems = ExportNaming.Validate(pattern, "FileNamePattern", allowEmpty: false);

        var single = Assert.Single(problems);
        Assert.StartsWith("FileNamePattern", single, StringComparison.Ordinal);
        Assert.Contains(problem, single, StringComparison.Ordinal);
        if (pattern.Length > 0)
        {
            Assert.Throws<InvalidPatternException>(() => ExportNaming.ExpandName(pattern, Facts("P"), Stamp));
        }
    }

    [Fact]
    public void Write_back_is_named_as_the_draw_client_names_it()
    {
        Assert.Equal("RS_12_345_DRAW_20261124_093005.dcm", ExportNaming.WriteBackName("12/345", Stamp));
    }

    [Theory]
    [InlineData("20240102", "101010.123", "2024-01-02T10:10:10.1230000")]
    [InlineData("20240102", "1010", "2024-01-02T10:10:00.0000000")]
    [InlineData("20240102", "99", "2024-01-02T00:00:00.0000000")]
    [InlineData("2024010", "101010", null)]
    public void Study_date_and_time_parse_with_fractional_seconds(string date, string time, string? expected)
    {
        var facts = Facts("P") with { StudyDate = date, StudyTime = time };

        Assert.Equal(expected, facts.StudyDateTime?.ToString("O", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('Z'));
    }
}
