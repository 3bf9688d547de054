using Draw.Domain.Index;
using Draw.Testing.Database;
using Draw.Testing.Series;

namespace Draw.Domain.Tests.Index;

/// <summary>
/// The series page's query over 1,200 seeded series: every filter, the search, paging and sorting
/// return exactly the rows an in-memory filter of the seeded data returns, on both providers.
/// </summary>
public sealed class SeriesQueryTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var provider in TestDatabase.Providers)
        {
            foreach (var name in Filters.Keys)
            {
                data.Add(provider, name);
            }
        }

        return data;
    }

    // Each case: the filter given to the query, and the same filter over the seeded rows (template ids are 1..3, the seeder's order).
    private static readonly Dictionary<string, (Func<IReadOnlyList<long>, SeriesFilter> Filter, Func<SeededSeries, IReadOnlyList<long>, bool> Expected)> Filters = new()
    {
        ["none"] = (_ => new SeriesFilter(), (_, _) => true),
        ["status"] = (_ => new SeriesFilter { Statuses = [SeriesStatus.RuleNotMatched] }, (s, _) => s.Status == SeriesStatus.RuleNotMatched),
        ["two statuses and CT"] = (_ => new SeriesFilter { Statuses = [SeriesStatus.SentToDrawServer, SeriesStatus.RtStructureExported], Modality = "CT" },
            (s, _) => s.Status is SeriesStatus.SentToDrawServer or SeriesStatus.RtStructureExported && s.Modality == "CT"),
        ["modality MR"] = (_ => new SeriesFilter { Modality = "MR" }, (s, _) => s.Modality == "MR"),
        ["study date range"] = (_ => new SeriesFilter { StudyDateFrom = "20240301", StudyDateTo = "20240615" },
            (s, _) => string.CompareOrdinal(s.StudyDate, "20240301") >= 0 && string.CompareOrdinal(s.StudyDate, "20240615") <= 0),
        ["template"] = (t => new SeriesFilter { TemplateId = t[1] }, (s, t) => s.TemplateId == t[1]),
        ["search name, any case"] = (_ => new SeriesFilter { Search = "rao" }, (s, _) => Has(s.PatientName, "RAO")),
        ["search patient ID"] = (_ => new SeriesFilter { Search = " seed00012" }, (s, _) => Has(s.PatientId, "SEED00012")),
        ["search accession"] = (_ => new SeriesFilter { Search = "ACC00" }, (s, _) => Has(s.AccessionNumber, "ACC00")),
        ["search description"] = (_ => new SeriesFilter { Search = "neck" }, (s, _) => Has(s.Description, "NECK")),
        ["everything at once"] = (t => new SeriesFilter
        {
            Statuses = [SeriesStatus.RuleMatched, SeriesStatus.RtStructureExported, SeriesStatus.Cancelled, SeriesStatus.Unprocessed], Modality = "CT",
            StudyDateFrom = "20240101", StudyDateTo = "20250630", TemplateId = t[0], Search = "o",
        },
            (s, t) => s.Status is SeriesStatus.RuleMatched or SeriesStatus.RtStructureExported or SeriesStatus.Cancelled or SeriesStatus.Unprocessed
                && s.Modality == "CT" && string.CompareOrdinal(s.StudyDate, "20250630") <= 0 && s.TemplateId == t[0]
                && (Has(s.PatientId, "O") || Has(s.PatientName, "O") || Has(s.AccessionNumber, "O") || Has(s.Description, "O"))),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_filter_returns_exactly_the_matching_series_latest_change_first(string provider, string filterName)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (seeded, templates) = await SeedAsync(database);
        var (filter, expected) = Filters[filterName];

        await using var db = database.CreateContext();
        var (rows, total) = await db.PageAsync(filter(templates) with { Take = 2000 }, CancellationToken.None);

        var want = seeded.Where(s => expected(s, templates)).OrderByDescending(s => s.StatusChangedAt).ThenByDescending(s => s.Id).Select(s => s.Id).ToList();
        Assert.InRange(want.Count, 1, filterName == "none" ? 1200 : 1199); // a filter that selects nothing or everything proves nothing
        Assert.Equal(want.Count, total);
        Assert.Equal(want, rows.Select(r => r.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Pages_sorts_and_row_details_match_the_seeded_data(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (seeded, templates) = await SeedAsync(database);
        await using var db = database.CreateContext();

        var (second, total) = await db.PageAsync(new SeriesFilter { Skip = 25, Take = 25 }, CancellationToken.None);
        Assert.Equal(1200, total);
        Assert.Equal(seeded.OrderByDescending(s => s.StatusChangedAt).ThenByDescending(s => s.Id).Skip(25).Take(25).Select(s => s.Id), second.Select(r => r.Id));

        var (byPatient, _) = await db.PageAsync(new SeriesFilter { SortBy = nameof(SeriesRow.PatientId), Descending = false, Skip = 100, Take = 10 }, CancellationToken.None);
        Assert.Equal(seeded.OrderBy(s => s.PatientId, StringComparer.Ordinal).ThenBy(s => s.Id).Skip(100).Take(10).Select(s => s.Id), byPatient.Select(r => r.Id));

        var (all, _) = await db.PageAsync(new SeriesFilter { Take = 2000 }, CancellationToken.None);
        var byId = seeded.ToDictionary(s => s.Id);
        foreach (var row in all)
        {
            var seed = byId[row.Id];
            Assert.Equal((seed.PatientId, seed.PatientName, seed.StudyDate, seed.Modality, seed.Status, seed.TemplateId, seed.Sent),
                (row.PatientId, row.PatientName, row.StudyDate, row.Modality!, row.Status, row.TemplateId, row.Sent));
            Assert.Equal(seed.TemplateId is { } t ? $"Group {t}" : "", row.MatchedRules);
            Assert.Equal(seed.TemplateId is { } u ? $"Seeded {templates.ToList().IndexOf(u) + 1}" : null, row.TemplateName);
        }

        var processing = all.First(r => r.Sent && r.Status == SeriesStatus.SentToDrawServer);
        Assert.Equal("Poll: SEGMENTATION PROCESSING", processing.BackendStatus);
        Assert.Equal("Done", all.First(r => r.Sent && r.Status == SeriesStatus.RtStructureExported).BackendStatus);
        Assert.Null(all.First(r => !r.Sent).BackendStatus);
    }

    private static Task<(IReadOnlyList<SeededSeries> Series, IReadOnlyList<long> Templates)> SeedAsync(TestDatabase database) =>
        SeriesSeeder.SeedWithTemplatesAsync(database.CreateContext, 1200, Now);

    private static bool Has(string? value, string upper) => value is not null && value.ToUpperInvariant().Contains(upper, StringComparison.Ordinal);
}
