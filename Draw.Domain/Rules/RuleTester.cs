using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Persistence;

namespace Draw.Domain.Rules;

/// <summary>
/// The editor's Test button: evaluates a rule group (saved, or still being edited) against an
/// indexed series or an uploaded file, and returns each rule's result with the values found.
/// </summary>
public static class RuleTester
{
    /// <summary>Evaluates against a header. Throws <see cref="RuleValidationException"/> when the group does not compile.</summary>
    public static RuleGroupResult Test(RuleGroup group, DicomDataset header) =>
        RuleCompiler.Compile(group).Evaluate(header, withValues: true);

    /// <summary>Evaluates against a DICOM file (e.g. an upload saved to a temporary file).</summary>
    public static RuleGroupResult TestFile(RuleGroup group, string path) => Test(group, DicomFile.OpenHeader(path).Dataset);

    /// <summary>Evaluates against an uploaded file's bytes.</summary>
    public static RuleGroupResult TestStream(RuleGroup group, Stream stream) =>
        Test(group, DicomFileReader.Read(stream, DicomReadOptions.HeaderOnly, "upload").Dataset);

    /// <summary>Evaluates against the original header of an indexed series' first instance.</summary>
    public static async Task<RuleGroupResult> TestSeriesAsync(this DrawDbContext db, RuleGroup group, long seriesId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var compiled = RuleCompiler.Compile(group);
        var (header, problem) = await db.ReadFirstHeaderAsync(seriesId, cancellationToken);
        return header is null ? throw new SeriesDecisionException($"series {seriesId}: {problem}") : compiled.Evaluate(header, withValues: true);
    }
}
