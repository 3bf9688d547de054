using System.Globalization;
using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Segmentation;
using Draw.Domain.Templates;
using Draw.Testing.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace Draw.Testing.Series;

/// <summary>What <see cref="SeriesSeeder"/> put in the database for one series: the oracle a test filters in memory.</summary>
public sealed record SeededSeries(
    long Id, string PatientId, string PatientName, string StudyDate, string AccessionNumber, string Modality, string Description,
    SeriesStatus Status, long? TemplateId, DateTime StatusChangedAt, bool Sent);

/// <summary>
/// Many index rows straight in the database for list, filter and benchmark tests: four series per
/// patient, two per study, fields drawn from a fixed seed (so every run seeds the same rows), some with
/// a template (a rule match) and, past the send, a segmentation job. No files, no events.
/// </summary>
public static class SeriesSeeder
{
    private static readonly string[] Surnames = ["RAO", "Sharma", "O'NEILL", "Okafor", "Nguyen", "Lindqvist", "Garcia", "Kowalski", "Tanaka", "Mensah", "Dubois", "Ivanova", "Haddad"];
    private static readonly string[] GivenNames = ["Anita", "RAVI", "Mary", "Chen", "Ola", "Pierre", "Sofia"];
    private static readonly string[] Modalities = ["CT", "CT", "CT", "MR", "PT"];
    private static readonly string[] Descriptions = ["Thorax 3mm", "HEAD NECK contrast", "Pelvis", "Abdomen venous", "Brain T1 post", "Prostate planning"];
    private static readonly SeriesStatus[] Sent =
    [
        SeriesStatus.DeidentifiedSuccessfully, SeriesStatus.DeidentificationFailed, SeriesStatus.PendingTransferToDrawServer, SeriesStatus.SentToDrawServer,
        SeriesStatus.FailedTransferToDrawServer, SeriesStatus.InvalidRtStructureReceived, SeriesStatus.RtStructureReceived, SeriesStatus.RtStructureExported,
        SeriesStatus.RtStructureExportFailed,
    ];

    /// <summary>Saves <paramref name="names"/> as templates of the sample catalogue (cached first if needed); returns their ids.</summary>
    public static async Task<IReadOnlyList<long>> TemplatesAsync(DrawDbContext db, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(names);
        if (!await db.CatalogueBackends.AnyAsync(b => b.Name == SampleCatalogue.Backend))
        {
            await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
        }

        var ids = new List<long>();
        foreach (var name in names)
        {
            var draft = new TemplateDraft { Name = name, Backend = SampleCatalogue.Backend, Structures = [new StructureChoice(3, 2)] };
            ids.Add((await db.SaveTemplateAsync(draft, "seeder", TimeProvider.System, CancellationToken.None)).Id);
        }

        return ids;
    }

    /// <summary>Three templates ("Seeded 1" to "Seeded 3") and <paramref name="count"/> series over them.</summary>
    public static async Task<(IReadOnlyList<SeededSeries> Series, IReadOnlyList<long> Templates)> SeedWithTemplatesAsync(Func<DrawDbContext> contexts, int count, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        IReadOnlyList<long> templates;
        await using (var db = contexts())
        {
            templates = await TemplatesAsync(db, "Seeded 1", "Seeded 2", "Seeded 3");
        }

        return (await SeedAsync(contexts, count, templates, now), templates);
    }

    /// <summary>Seeds <paramref name="count"/> series (a multiple of 4) in batches, each batch in its own context.</summary>
    public static async Task<IReadOnlyList<SeededSeries>> SeedAsync(Func<DrawDbContext> contexts, int count, IReadOnlyList<long> templateIds, DateTime now, int seed = 20261124)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(templateIds);
        const int batch = 4000;
        var random = new Random(seed);
        var seeded = new List<SeededSeries>(count);
        for (var start = 0; start < count; start += batch)
        {
            await using var db = contexts();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var rows = new List<(Domain.Index.Series Series, SeededSeries Seed)>();
            Patient? patient = null;
            Study? study = null;
            for (var i = start; i < Math.Min(count, start + batch); i++)
            {
                if (i % 4 == 0)
                {
                    patient = new Patient
                    {
                        PatientId = Invariant($"SEED{i / 4:D6}"),
                        Name = $"{Surnames[random.Next(Surnames.Length)]}^{GivenNames[random.Next(GivenNames.Length)]}",
                        CreatedAt = now,
                    };
                    db.Patients.Add(patient);
                }

                if (i % 2 == 0)
                {
                    study = new Study
                    {
                        Patient = patient,
                        StudyInstanceUid = Invariant($"2.25.1{i / 2}"),
                        StudyDate = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(730)).ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                        AccessionNumber = Invariant($"ACC{random.Next(1_000_000):D7}"),
                        CreatedAt = now,
                    };
                    db.Studies.Add(study);
                }

                var status = Enum.GetValues<SeriesStatus>()[random.Next(Enum.GetValues<SeriesStatus>().Length)];
                var templateId = templateIds.Count > 0 && random.Next(3) == 0 ? templateIds[random.Next(templateIds.Count)] : (long?)null;
                var series = new Domain.Index.Series
                {
                    Study = study,
                    SeriesInstanceUid = Invariant($"2.25.2{i}"),
                    Modality = Modalities[random.Next(Modalities.Length)],
                    Description = Descriptions[random.Next(Descriptions.Length)],
                    ProtocolName = "Protocol " + random.Next(5).ToString(CultureInfo.InvariantCulture),
                    InstanceCount = 1 + random.Next(300),
                    FirstArrival = now.AddMinutes(-i - 10),
                    LastArrival = now.AddMinutes(-i - 5),
                    Source = SeriesSource.Datastore,
                    QuietPeriodSeconds = 60,
                    Status = status,
                    StatusChangedAt = now.AddSeconds(-i),
                };
                db.Series.Add(series);
                var sent = templateId is not null && Sent.Contains(status);
                rows.Add((series, new SeededSeries(0, patient!.PatientId, patient.Name!, study!.StudyDate!, study.AccessionNumber!, series.Modality, series.Description,
                    status, templateId, series.StatusChangedAt, sent)));
            }

            await db.SaveChangesAsync();
            foreach (var (series, row) in rows)
            {
                if (row.TemplateId is { } template)
                {
                    db.SeriesMatches.Add(new SeriesMatch
                    {
                        SeriesId = series.Id, TemplateId = template, Outcome = MatchOutcome.Matched, DecidedBy = "rules", DecidedAt = now,
                        Matches = Invariant($$"""[{"group":{{template}},"name":"Group {{template}}","template":{{template}}}]"""),
                    });
                    if (row.Sent)
                    {
                        db.SegmentationJobs.Add(new SegmentationJob
                        {
                            SeriesId = series.Id, TemplateId = template, Backend = SampleCatalogue.Backend, RequestedBy = "rules", CreatedAt = now, UpdatedAt = now, NextAttemptAt = now,
                            Step = row.Status == SeriesStatus.RtStructureExported ? JobStep.Done : row.Status.IsFailure() ? JobStep.Failed : JobStep.Poll,
                            ServerStatus = row.Status == SeriesStatus.SentToDrawServer ? "SEGMENTATION PROCESSING" : null,
                        });
                    }
                }

                seeded.Add(row with { Id = series.Id });
            }

            await db.SaveChangesAsync();
        }

        return seeded;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
