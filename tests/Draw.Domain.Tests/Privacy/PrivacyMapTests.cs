using Draw.Dicom.Anonymization;
using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Tests.Privacy;

public sealed class PrivacyMapTests
{
    private static DeidentificationService Service(TestDatabase database, DeidentificationOptions? options = null) =>
        new(database.Factory, Options.Create(options ?? new DeidentificationOptions { SiteCode = "SITE" }), database.DataRoot, TimeProvider.System);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_UID_map_is_two_way_stable_and_one_row_per_original_under_concurrency(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var uids = Enumerable.Range(1, 300).Select(i => $"1.2.826.0.1.3680043.2.{i}").ToList();
        var services = Enumerable.Range(0, 4).Select(_ => Service(database)).ToList();
        var results = await Task.WhenAll(services.Select(s => s.UidMap.MapAsync(uids, CancellationToken.None).AsTask()));
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.All(results[0].Values, p => Assert.StartsWith("2.25.", p, StringComparison.Ordinal));
        Assert.Equal(300, results[0].Values.Distinct().Count());

        var back = await services[0].UidMap.FindOriginalsAsync([.. results[0].Values, "2.25.1"], CancellationToken.None);
        Assert.Equal(300, back.Count);
        Assert.All(uids, u => Assert.Equal(u, back[results[0][u]]));
        await using var db = database.CreateContext();
        Assert.Equal(300, await db.UidMappings.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Patients_keep_one_pseudonym_and_date_shift_across_runs_and_concurrent_requests(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var options = new DeidentificationOptions { SiteCode = "SITE", PatientIdPattern = "{site}-{counter:0000}", PatientNamePattern = "Anon^{id}", DateShiftMinDays = -20, DateShiftMaxDays = -10 };
        var alice = new PatientIdentity("P1", null, "Doe^Alice", "19700101");
        var bob = new PatientIdentity("P2", "HOSP", "Roe^Bob", null);
        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Service(database, options).Patients.GetAsync([alice, bob], CancellationToken.None).AsTask()));
        Assert.All(first, r => Assert.Equal(first[0][alice.Key], r[alice.Key]));
        var a = first[0][alice.Key];
        var b = first[0][bob.Key];
        Assert.Matches("^SITE-[0-9]{4}$", a.PatientId);
        Assert.Equal("Anon^" + a.PatientId, a.PatientName);
        Assert.NotEqual(a.PatientId, b.PatientId);
        Assert.InRange(a.DateShiftDays, -20, -10);

        var later = await Service(database, options).Patients.GetAsync([alice], CancellationToken.None);
        Assert.Equal(a, later[alice.Key]);
        await using var db = database.CreateContext();
        Assert.Equal(2, await db.PatientPseudonyms.CountAsync());
        Assert.DoesNotContain(await db.PatientPseudonyms.Select(p => p.OriginalKeyHash).ToListAsync(), h => h.Contains("P1", StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_are_validated_with_messages_naming_the_key()
    {
        var validator = new DeidentificationOptionsValidator();
        Assert.True(validator.Validate(null, new DeidentificationOptions()).Succeeded);
        var bad = new DeidentificationOptions
        {
            SiteCode = "bad code",
            PatientIdPattern = "{site}-x",
            DateShiftMinDays = 10,
            DateShiftMaxDays = -10,
            StructureSetLabel = "a label much too long",
            Default = new DeidentificationProfileSettings { SafePrivateTags = ["0008,X,10"] },
        };
        var failures = validator.Validate(null, bad).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Draw:Deidentification:SiteCode ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Draw:Deidentification:PatientIdPattern ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Draw:Deidentification:DateShiftMinDays ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Draw:Deidentification:StructureSetLabel ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Draw:Deidentification:Default:SafePrivateTags ", StringComparison.Ordinal));

        var perBackend = new DeidentificationOptions { Backends = { ["research"] = new DeidentificationProfileSettings { CleanDescriptors = true } } };
        Assert.Equal("DRAW-000042", perBackend.FormatPatientId(42));
        Assert.True((perBackend.ForBackend("RESEARCH").ToOptions() & ConfidentialityOptions.CleanDescriptors) != 0);
        Assert.True((perBackend.ForBackend("other").ToOptions() & ConfidentialityOptions.CleanDescriptors) == 0);
    }
}
