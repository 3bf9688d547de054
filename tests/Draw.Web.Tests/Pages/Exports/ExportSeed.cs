using System.Globalization;
using System.Security.Claims;
using Draw.Domain.Export;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Database;

namespace Draw.Web.Tests.Pages.Exports;

/// <summary>
/// Destinations and ledger rows written straight into a test database, through the domain where it
/// has a use case (destinations) and as rows where it has none (a history of past deliveries).
/// </summary>
internal static class ExportSeed
{
    /// <summary>A real RTSTRUCT (IBSI phantom: PatientID "1", PatientName PAT1): the one file a worker can actually re-export.</summary>
    public static string RtStructSample => Path.Combine(RepoPaths.DicomSamples, "github-theibsi-ct-radiomics-phantom/ibsi_1_ct_radiomics_phantom/dicom/mask/DCM_RS_00060.dcm");

    public static readonly DateTime Newest = new(2026, 3, 14, 12, 0, 0, DateTimeKind.Utc);

    public static async Task<ExportDestination> FolderAsync(TestDatabase database, string name, string root)
    {
        await using var db = database.CreateContext();
        return await db.SaveDestinationAsync(TimeProvider.System, new ExportDestination { Name = name, Kind = DestinationKind.Folder, FolderRoot = root }, "test", CancellationToken.None);
    }

    public static async Task<ExportDestination> DicomNodeAsync(TestDatabase database, string name, string aeTitle, int port)
    {
        await using var db = database.CreateContext();
        var destination = new ExportDestination { Name = name, Kind = DestinationKind.DicomNode };
        destination.Nodes.Add(new DestinationNode { AeTitle = aeTitle, Host = "127.0.0.1", Port = port, TimeoutSeconds = 10 });
        return await db.SaveDestinationAsync(TimeProvider.System, destination, "test", CancellationToken.None);
    }

    /// <summary>The patient of ledger row <paramref name="i"/>: two rows per patient, P0000 P0000 P0001 P0001...</summary>
    public static string PatientOf(int i) => string.Create(CultureInfo.InvariantCulture, $"P{i / 2:0000}");

    public static string SopOf(int i) => string.Create(CultureInfo.InvariantCulture, $"2.25.7000{i}");

    /// <summary>
    /// <paramref name="count"/> past deliveries with their ledger rows, an hour apart (row 0 newest):
    /// even rows delivered to <paramref name="delivered"/>, odd rows failed at <paramref name="failed"/>.
    /// </summary>
    public static async Task HistoryAsync(TestDatabase database, ExportDestination delivered, ExportDestination failed, int count)
    {
        await AddDoneAsync(database, Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? new Done(delivered, SopOf(i), $"/results/{PatientOf(i)}/rs.dcm", PatientOf(i), Newest.AddHours(-i), null)
            : new Done(failed, SopOf(i), $"/results/{PatientOf(i)}/rs.dcm", PatientOf(i), Newest.AddHours(-i), "C-STORE refused: association rejected")));
    }

    /// <summary>The real sample RTSTRUCT, once delivered to <paramref name="destination"/>: a row a re-export can repeat.</summary>
    public static async Task<ExportFacts> DeliveredSampleAsync(TestDatabase database, ExportDestination destination)
    {
        var facts = ExportFacts.Read(RtStructSample);
        await AddDoneAsync(database, [new Done(destination, facts.SopInstanceUid, RtStructSample, facts.PatientId, Newest.AddDays(-30), null)]);
        return facts;
    }

    /// <summary>One failure parked just now (with its reason) and one delivery waiting an hour for its next attempt.</summary>
    public static async Task OpenDeliveriesAsync(TestDatabase database, ExportDestination destination)
    {
        await using var db = database.CreateContext();
        var now = DateTime.UtcNow;
        db.ExportDeliveries.Add(new ExportDelivery
        {
            DestinationId = destination.Id, SopInstanceUid = "2.25.8001", SourcePath = "/results/Q1/rs.dcm", RequestedBy = "pipeline", State = DeliveryState.Failed,
            Attempts = 5, NextAttemptAt = now, LastError = "C-ECHO failed: connection refused (parked)", CreatedAt = now, UpdatedAt = now, FinishedAt = now,
        });
        db.ExportDeliveries.Add(new ExportDelivery
        {
            DestinationId = destination.Id, SopInstanceUid = "2.25.8002", SourcePath = "/results/Q2/rs.dcm", RequestedBy = "pipeline", State = DeliveryState.Pending,
            Attempts = 2, NextAttemptAt = now.AddHours(1), LastError = "connection reset by peer (waiting)", CreatedAt = now, UpdatedAt = now,
        });
        await db.SaveChangesAsync();
    }

    public static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    /// <summary>Finished deliveries, then their ledger rows (which point at the deliveries' ids).</summary>
    private static async Task AddDoneAsync(TestDatabase database, IEnumerable<Done> done)
    {
        await using var db = database.CreateContext();
        var pairs = done.Select(d => (Done: d, Delivery: new ExportDelivery
        {
            DestinationId = d.Destination.Id, SopInstanceUid = d.Sop, SourcePath = d.Source, RequestedBy = "pipeline",
            State = d.Error is null ? DeliveryState.Delivered : DeliveryState.Failed, Attempts = d.Error is null ? 1 : d.Destination.MaxAttempts,
            NextAttemptAt = d.At, LastError = d.Error, CreatedAt = d.At, UpdatedAt = d.At, FinishedAt = d.At,
        })).ToList();
        db.ExportDeliveries.AddRange(pairs.Select(p => p.Delivery));
        await db.SaveChangesAsync();
        db.ExportLedger.AddRange(pairs.Select(p => new ExportLedgerEntry
        {
            DeliveryId = p.Delivery.Id,
            DestinationId = p.Done.Destination.Id, DestinationName = p.Done.Destination.Name, DestinationKind = p.Done.Destination.Kind,
            SopInstanceUid = p.Done.Sop, SourcePath = p.Done.Source,
            PatientId = p.Done.PatientId, PatientName = "TEST^" + p.Done.PatientId, StudyDate = "20260301", StudyTime = "101500.5",
            StudyDateTime = new DateTime(2026, 3, 1, 10, 15, 0, DateTimeKind.Utc), Modality = "RTSTRUCT",
            FileName = p.Done.Error is null ? $"DRAW_{p.Done.PatientId}_{p.Done.Sop}.dcm" : null,
            Target = p.Done.Error is null ? $"/archive/{p.Done.PatientId}/DRAW_{p.Done.PatientId}_{p.Done.Sop}.dcm" : null,
            ExportedAt = p.Done.At, Result = p.Done.Error is null ? LedgerResult.Delivered : LedgerResult.Failed, Error = p.Done.Error,
            Attempts = p.Delivery.Attempts, RequestedBy = "pipeline",
        }));
        await db.SaveChangesAsync();
    }

    private sealed record Done(ExportDestination Destination, string Sop, string Source, string? PatientId, DateTime At, string? Error);
}
