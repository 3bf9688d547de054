using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>
/// The values a folder destination's example name is computed from: the most recently indexed
/// series (as its RTSTRUCT would carry them), or made-up values when nothing is indexed yet.
/// </summary>
public sealed record NamingSample(ExportFacts Facts, string Origin)
{
    // An example UID (2.25 = UUID-derived root); the real RTSTRUCT gets its own.
    private const string ExampleSopInstanceUid = "2.25.205197378106233473213734016287473930271";

    public static NamingSample MadeUp { get; } = new(
        new ExportFacts
        {
            PatientId = "PAT-0001",
            PatientName = "EXAMPLE^PATIENT",
            StudyDate = "20250314",
            StudyTime = "093015.25",
            Modality = "RTSTRUCT",
            SopInstanceUid = ExampleSopInstanceUid,
            SeriesInstanceUid = "2.25.1",
            StudyInstanceUid = "2.25.2",
            AccessionNumber = "ACC123",
            StudyDescription = "CT THORAX",
            SeriesDescription = "DRAW autosegmentation",
        },
        "made-up values (no series indexed yet)");

    public static async Task<NamingSample> LoadAsync(DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var series = await db.Series.AsNoTracking().Include(s => s.Study).ThenInclude(s => s!.Patient)
            .OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (series?.Study?.Patient is not { } patient)
        {
            return MadeUp;
        }

        var study = series.Study;
        return new NamingSample(
            new ExportFacts
            {
                PatientId = patient.PatientId,
                PatientName = patient.Name,
                StudyDate = study.StudyDate,
                StudyTime = study.StudyTime,
                Modality = "RTSTRUCT",
                SopInstanceUid = ExampleSopInstanceUid,
                SeriesInstanceUid = series.SeriesInstanceUid,
                StudyInstanceUid = study.StudyInstanceUid,
                AccessionNumber = study.AccessionNumber,
                StudyDescription = study.Description,
                SeriesDescription = series.Description,
            },
            $"series {series.Id} ({series.Modality} {series.Description})");
    }

    /// <summary>The full path a result would get, or why there is none yet.</summary>
    public (string? Path, string? Problem) ExampleTarget(DestinationForm form, DateTime localNow)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (string.IsNullOrWhiteSpace(form.FolderRoot) || !System.IO.Path.IsPathRooted(form.FolderRoot))
        {
            return (null, "Give an absolute folder root to see an example.");
        }

        try
        {
            return (ExportNaming.FolderTarget(form.ToDestination(), Facts, localNow), null);
        }
        catch (InvalidPatternException)
        {
            // The field's own message says what is wrong; repeating it here would only add noise.
            return (null, "Fix the patterns above to see an example.");
        }
    }
}
