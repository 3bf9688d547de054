using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Rules;
using Draw.Domain.Segmentation;
using Draw.Domain.Templates;
using Draw.Testing;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Draw.Testing.FakeDraw;
using Draw.Testing.Processes;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Tests.Pipeline;

/// <summary>
/// The worker process is killed (SIGKILL) as its job reaches each step, and started again: every
/// series still finishes, nothing is uploaded twice, the RTSTRUCT is downloaded in full exactly once
/// (a download the kill cut off is fetched again, as it must be), and one file is written back.
/// </summary>
public sealed class WorkerCrashTests
{
    private static readonly JobStep[] KillAt = [JobStep.Package, JobStep.Submit, JobStep.Poll, JobStep.Download, JobStep.Reidentify, JobStep.Confirm, JobStep.Export];

    [Fact]
    public async Task Killing_the_worker_at_every_step_loses_nothing_and_repeats_no_transfer()
    {
        await using var fake = await FakeDrawServer.StartAsync();
        fake.Switches.ProcessingDelay = TimeSpan.FromSeconds(2);
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        using var images = new TempFolder("draw-crash-images");
        foreach (var file in SampleSeries.Files(SampleSeries.LungCt).Take(6))
        {
            File.Copy(file, Path.Combine(images.Path, Path.GetFileName(file)));
        }

        long seriesId;
        await using (var db = database.CreateContext())
        {
            seriesId = await SampleSeries.IndexAsync(db, images.Path, take: 6);
            await db.RefreshAsync(JsonCatalogueSource.FromText("draw-server", FakeCatalogue.Json), TimeProvider.System, CancellationToken.None);
            var template = await db.SaveTemplateAsync(new TemplateDraft { Name = "Crash", Backend = "draw-server", Structures = [new StructureChoice(11, 2), new StructureChoice(11, 3)] }, "admin", TimeProvider.System, CancellationToken.None);
            await db.ChooseTemplateAsync(TimeProvider.System, seriesId, template.Id, "physicist", CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var kills = new List<string>();
        var uploadsBeforeRetry = -1;
        // Downloads wait half-sent until the kill at Download has cut one off: that kill lands inside the
        // transfer every time, not only when a millisecond-wide window is hit.
        fake.DownloadGate.Close();
        foreach (var step in KillAt)
        {
            await using var worker = StartWorker(database, fake);
            if (step == JobStep.Download)
            {
                var heldBefore = fake.DownloadGate.Held;
                if (await WaitForHeldDownloadOrFailureAsync(database, seriesId, fake, heldBefore, worker) is { } failed)
                {
                    uploadsBeforeRetry = await RetryInterruptedUploadAsync(database, seriesId, failed, fake);
                    // Only the retried job's download now: the failed job stays the latest row until the planner adds the new one.
                    await WaitForJobAsync(database, seriesId, _ => fake.DownloadGate.Held > heldBefore, TimeSpan.FromSeconds(60), worker);
                }

                worker.Kill();
                fake.DownloadGate.Open();
                kills.Add($"{step}: a download half-sent");
                continue;
            }

            var reached = await WaitForJobAsync(database, seriesId, j => j is not null && (j.Step >= step || !j.IsActive), TimeSpan.FromSeconds(60), worker);
            worker.Kill();
            kills.Add($"{step}: job at {reached.Step}");
        }

        await using (var worker = StartWorker(database, fake))
        {
            var settled = await WaitForJobAsync(database, seriesId, j => j is { Step: JobStep.Done or JobStep.Failed }, TimeSpan.FromSeconds(90), worker);
            if (settled.Step == JobStep.Failed)
            {
                uploadsBeforeRetry = await RetryInterruptedUploadAsync(database, seriesId, settled, fake);
                await WaitForJobAsync(database, seriesId, j => j is { Step: JobStep.Done }, TimeSpan.FromSeconds(90), worker);
            }

            await worker.StopAsync(TimeSpan.FromSeconds(15));
        }

        await using var check = database.CreateContext();
        Assert.Equal(SeriesStatus.RtStructureExported, (await check.Series.SingleAsync()).Status);
        // One upload, or (when a kill cut an upload off and a person retried) one more than had arrived before the retry.
        Assert.True(uploadsBeforeRetry < 0 ? fake.Uploads.Count == 1 : fake.Uploads.Count == uploadsBeforeRetry + 1,
            $"uploads: {fake.Uploads.Count} (before the retry: {uploadsBeforeRetry}); kills: {string.Join("; ", kills)}");
        Assert.True(fake.CompletedDownloadCount == 1, $"complete downloads: {fake.CompletedDownloadCount} of {fake.DownloadCount} started; kills: {string.Join("; ", kills)}");
        Assert.True(fake.DownloadCount >= 2, $"downloads started: {fake.DownloadCount}: the kill at Download should have cut one off");
        Assert.Single(Directory.GetFiles(images.Path, "RS_*_DRAW_*.dcm"));
        Assert.Empty(Directory.GetFiles(images.Path, ".*"));
        Assert.Equal(1, await check.FileOperations.CountAsync(o => o.Kind == FileOperationKind.Exported));
        Assert.Single(await check.SegmentationJobs.ToListAsync());
    }

    private static DrawProcess StartWorker(TestDatabase database, FakeDrawServer fake)
    {
        var environment = new Dictionary<string, string>(database.Environment)
        {
            ["Draw__Worker__HealthPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Draw__Listener__Enabled"] = "false",
            ["Draw__Live__HubUrl"] = $"http://127.0.0.1:{FreePort.Next()}/hubs/live",
            ["Draw__Pipeline__CheckSeconds"] = "1",
            ["Draw__Pipeline__PollIntervalSeconds"] = "1",
            ["Draw__DrawServer__Enabled"] = "true",
            ["Draw__DrawServer__BaseUrl"] = fake.BaseUrl,
            ["Draw__DrawServer__ClientId"] = "crash-test",
            ["Draw__DrawServer__BearerToken"] = fake.InitialAccessToken,
            ["Draw__DrawServer__RefreshToken"] = fake.InitialRefreshToken,
        };
        return DrawProcess.Start("worker", RepoPaths.ProgramDll("Draw.Worker", "Draw.Worker"), environment);
    }

    /// <summary>
    /// A kill that landed inside the upload fails the job: the DRAW API has no idempotency key, so DRAW
    /// does not resend on its own. Nothing was sent twice; a person retries, as on the dashboard.
    /// Returns the uploads that had arrived before the retry.
    /// </summary>
    private static async Task<int> RetryInterruptedUploadAsync(TestDatabase database, long seriesId, SegmentationJob failed, FakeDrawServer fake)
    {
        Assert.Contains("upload was interrupted", failed.LastError, StringComparison.Ordinal);
        var uploads = fake.Uploads.Count;
        Assert.True(uploads <= 1, $"uploads before the retry: {uploads}");
        await using var db = database.CreateContext();
        await SeriesDecisions.RetrySeriesAsync(db, TimeProvider.System, seriesId, "physicist", CancellationToken.None);
        await db.SaveChangesAsync();
        return uploads;
    }

    /// <summary>Waits until a new download waits at the closed gate (null), or the job failed (that job).</summary>
    private static async Task<SegmentationJob?> WaitForHeldDownloadOrFailureAsync(TestDatabase database, long seriesId, FakeDrawServer fake, int heldBefore, DrawProcess worker)
    {
        var outcome = await WaitForJobAsync(database, seriesId, j => fake.DownloadGate.Held > heldBefore || j is { Step: JobStep.Failed }, TimeSpan.FromSeconds(60), worker);
        return fake.DownloadGate.Held > heldBefore ? null : outcome;
    }

    private static Task<SegmentationJob> WaitForJobAsync(TestDatabase database, long seriesId, Func<SegmentationJob?, bool> condition, TimeSpan timeout, DrawProcess worker) =>
        Eventually.ValueAsync(
            async () =>
            {
                if (worker.HasExited)
                {
                    throw new InvalidOperationException($"the worker exited with {worker.ExitCode}:\n{worker.Output}");
                }

                await using var db = database.CreateContext();
                var job = await db.SegmentationJobs.AsNoTracking().Where(j => j.SeriesId == seriesId).OrderByDescending(j => j.Id).FirstOrDefaultAsync();
                return condition(job) ? job : null;
            },
            timeout,
            TimeSpan.FromMilliseconds(25),
            async () =>
            {
                await using var state = database.CreateContext();
                var series = await state.Series.AsNoTracking().SingleAsync(s => s.Id == seriesId);
                var jobs = await state.SegmentationJobs.AsNoTracking().Select(j => j.Step + " " + j.LastError).ToListAsync();
                return $"the job did not get there: series {series.Status}, jobs [{string.Join("; ", jobs)}]\n{worker.Output}";
            });
}
