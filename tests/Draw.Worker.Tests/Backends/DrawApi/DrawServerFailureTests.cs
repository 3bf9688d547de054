using System.Diagnostics;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Domain.Segmentation;
using Draw.Testing;
using Draw.Testing.FakeDraw;
using Draw.Worker.Backends.DrawApi;

namespace Draw.Worker.Tests.Backends.DrawApi;

/// <summary>Every failure switch of the fake server, and what the client makes of it.</summary>
public sealed class DrawServerFailureTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_busy_health_check_reads_as_busy_with_the_servers_retry_after()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.Busy = 1;
        h.Server.Switches.BusyRetryAfter = TimeSpan.FromSeconds(7);
        var health = await h.Backend.CheckHealthAsync(None);
        Assert.Equal(BackendHealthState.Busy, health.State);
        Assert.Equal(TimeSpan.FromSeconds(7), health.RetryAfter);
        Assert.Equal(BackendHealthState.Ready, (await h.Backend.CheckHealthAsync(None)).State);
    }

    [Fact]
    public async Task An_upload_waits_for_a_busy_server_and_then_uploads()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.Busy = 2;
        h.Server.Switches.BusyRetryAfter = TimeSpan.Zero;
        var submission = await h.Backend.SubmitAsync(h.Package(), None);
        Assert.NotEmpty(submission.TaskId);
        Assert.Equal(new[] { 503, 503, 200, 201 }, h.Server.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task An_upload_gives_up_for_now_on_a_server_that_stays_busy()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.Busy = 100;
        h.Server.Switches.BusyRetryAfter = TimeSpan.Zero;
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.SubmitAsync(h.Package(), None));
        Assert.True(e.Transient);
        Assert.Equal(503, e.StatusCode);
        Assert.Equal(TimeSpan.Zero, DrawServerClient.RetryAfterOf(e));
        Assert.Equal(3, h.Server.RequestsTo("/api/health/").Count); // BusyRetries = 2: three checks in all
        Assert.Empty(h.Server.Uploads);
    }

    [Fact]
    public async Task A_busy_answer_to_the_upload_itself_is_transient_with_its_retry_after()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.BusyUploads = 1;
        h.Server.Switches.BusyRetryAfter = TimeSpan.FromSeconds(5);
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.SubmitAsync(h.Package(), None));
        Assert.True(e.Transient);
        Assert.Equal(503, e.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), DrawServerClient.RetryAfterOf(e));
        Assert.Empty(h.Server.Uploads);
        Assert.NotEmpty((await h.Backend.SubmitAsync(h.Package(), None)).TaskId);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_wait_cap_is_handed_to_the_pipeline_at_once()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.Busy = 100;
        h.Server.Switches.BusyRetryAfter = TimeSpan.FromMinutes(2);
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.SubmitAsync(h.Package(), None));
        Assert.True(e.Transient);
        Assert.Equal(TimeSpan.FromMinutes(2), DrawServerClient.RetryAfterOf(e));
        Assert.Single(h.Server.RequestsTo("/api/health/"));
    }

    [Fact]
    public async Task Server_errors_are_transient_and_the_next_call_succeeds()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var submission = await h.Backend.SubmitAsync(h.Package(), None);
        h.Server.Switches.ServerErrors = 1;
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.GetStatusAsync(submission.TaskId, None));
        Assert.True(e.Transient);
        Assert.Equal(500, e.StatusCode);
        Assert.NotEqual(BackendTaskState.NotFound, (await h.Backend.GetStatusAsync(submission.TaskId, None)).State);

        h.Server.Switches.ServerErrors = 1;
        var health = await h.Backend.CheckHealthAsync(None);
        Assert.Equal(BackendHealthState.Unavailable, health.State);
    }

    [Fact]
    public async Task A_slow_answer_times_out_as_a_transient_error()
    {
        await using var h = await DrawApiHarness.StartAsync(configure: (_, s) => s["RequestTimeoutSeconds"] = "1");
        h.Server.Switches.SlowAnswers = TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.GetStatusAsync("any-task", None));
        Assert.True(e.Transient);
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_a_backend_error()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.SlowAnswers = TimeSpan.FromSeconds(10);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Backend.SubmitAsync(h.Package(), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Backend.DownloadAsync("t", Path.Combine(h.Root.Path, "x.dcm"), cancelled.Token));
    }

    [Fact]
    public async Task A_refused_connection_is_transient_and_the_health_check_reads_unavailable()
    {
        await using var h = await DrawApiHarness.StartAsync(configure: (_, s) => s["BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/");
        var health = await h.Backend.CheckHealthAsync(None);
        Assert.Equal(BackendHealthState.Unavailable, health.State);
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.GetStatusAsync("t", None));
        Assert.True(e.Transient);
        Assert.Contains("connection", e.Message, StringComparison.OrdinalIgnoreCase);
        var submit = await Assert.ThrowsAsync<BackendException>(() => h.Backend.SubmitAsync(h.Package(), None));
        Assert.True(submit.Transient);
    }

    [Fact]
    public async Task A_wrong_checksum_deletes_the_download_and_is_permanent()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var taskId = await ReadyTaskAsync(h);
        h.Server.Switches.WrongChecksum = true;
        var destination = Path.Combine(h.Root.Path, "wrong", "rt.dcm");
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.DownloadAsync(taskId, destination, None));
        Assert.False(e.Transient);
        Assert.Contains("checksum mismatch", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(destination)!));
    }

    [Fact]
    public async Task The_checksum_is_compared_ignoring_case_and_may_be_required()
    {
        await using var h = await DrawApiHarness.StartAsync(configure: (_, s) => s["RequireDownloadChecksum"] = "true");
        var taskId = await ReadyTaskAsync(h);
        h.Server.Switches.UpperCaseChecksum = true;
        var download = await h.Backend.DownloadAsync(taskId, Path.Combine(h.Root.Path, "upper", "rt.dcm"), None);
        Assert.True(download.Bytes > 0);

        h.Server.Switches.OmitChecksum = true;
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.DownloadAsync(taskId, Path.Combine(h.Root.Path, "none", "rt.dcm"), None));
        Assert.False(e.Transient);
        Assert.Contains("X-File-Checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_an_rtstruct_or_of_the_wrong_series_is_delivered_for_the_pipeline_to_refuse()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var package = h.Package();
        var taskId = (await h.Backend.SubmitAsync(package, None)).TaskId;
        Assert.Equal(BackendTaskState.Ready, (await h.PollAsync(taskId)).State);

        h.Server.Switches.NotAnRtStruct = true;
        var notRt = await h.Backend.DownloadAsync(taskId, Path.Combine(h.Root.Path, "a", "rt.dcm"), None);
        Assert.Equal("CT", DicomFile.Open(notRt.Path).Dataset.GetString(DicomTags.Modality));

        h.Server.Switches.NotAnRtStruct = false;
        h.Server.Switches.WrongSeries = true;
        var wrong = await h.Backend.DownloadAsync(taskId, Path.Combine(h.Root.Path, "b", "rt.dcm"), None);
        var set = RtStructureSet.Read(DicomFile.Open(wrong.Path).Dataset);
        var referenced = set.ReferencedFrames.Single().Studies.Single().Series.Single().SeriesInstanceUid;
        Assert.NotEqual(package.SeriesInstanceUid, referenced);
        Assert.Equal(package.SeriesInstanceUid, Assert.Single(h.Server.SeriesOf(taskId)));
    }

    [Fact]
    public async Task A_task_the_server_does_not_know_reads_as_not_found()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var taskId = await ReadyTaskAsync(h);
        h.Server.Switches.TaskNotFound = true;
        var status = await h.Backend.GetStatusAsync(taskId, None);
        Assert.Equal(BackendTaskState.NotFound, status.State);
        Assert.Equal("TASK_NOT_FOUND", status.ServerStatus);
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.DownloadAsync(taskId, Path.Combine(h.Root.Path, "nf.dcm"), None));
        Assert.False(e.Transient);
        Assert.Equal(404, e.StatusCode);
        Assert.Equal(BackendTaskState.NotFound, (await h.Backend.GetStatusAsync("never-submitted", None)).State);
        Assert.Equal(TimeSpan.FromDays(7), h.Client.GiveUpAfter);
    }

    [Fact]
    public async Task A_failed_segmentation_reads_as_failed_with_the_servers_error()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.FailSegmentation = true;
        var taskId = (await h.Backend.SubmitAsync(h.Package(), None)).TaskId;
        var status = await h.PollAsync(taskId);
        Assert.Equal(BackendTaskState.Failed, status.State);
        Assert.Equal("FAILED", status.ServerStatus);
        Assert.Contains("Segmentation failed", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statuses_move_from_pending_to_ready()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.QueuedDelay = TimeSpan.FromMilliseconds(300);
        var taskId = (await h.Backend.SubmitAsync(h.Package(), None)).TaskId;
        var first = await h.Backend.GetStatusAsync(taskId, None);
        Assert.Equal(BackendTaskState.Pending, first.State);
        Assert.Equal("Queued", first.ServerStatus);
        Assert.Equal(BackendTaskState.Ready, (await h.PollAsync(taskId)).State);
    }

    [Fact]
    public async Task An_upload_whose_checksum_the_server_refuses_is_permanent()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var package = h.Package() with { Sha256 = new string('0', 64) };
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.SubmitAsync(package, None));
        Assert.False(e.Transient);
        Assert.Equal(400, e.StatusCode);
        Assert.Contains("Checksum mismatch", e.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<BackendException>(() => h.Backend.SubmitAsync(package with { ZipPath = Path.Combine(h.Root.Path, "gone.zip") }, None));
        Assert.False(missing.Transient);
    }

    [Fact]
    public async Task A_failed_confirmation_is_retried_after_a_restart_without_downloading_again()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var taskId = await ReadyTaskAsync(h);
        var destination = Path.Combine(h.Root.Path, "work", "rt.dcm");
        var first = await h.Backend.DownloadAsync(taskId, destination, None);
        h.Server.Switches.FailConfirmation = 1;
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.ConfirmAsync(taskId, None));
        Assert.True(e.Transient);
        Assert.Contains("did not confirm", e.Message, StringComparison.Ordinal);

        // The worker restarts; the pipeline, unsure whether it recorded the download, asks again.
        h.Restart();
        var again = await h.Backend.DownloadAsync(taskId, destination, None);
        Assert.Equal(first, again);
        await h.Backend.ConfirmAsync(taskId, None);

        Assert.Equal(1, h.Server.DownloadsOf(taskId));
        Assert.Equal(new[] { false, true }, h.Server.Confirmations.Select(c => c.Accepted));
        Assert.Single(h.Server.RequestsTo("/api/rtstruct/" + taskId + "/"));

        // A file that no longer matches its receipt is downloaded again.
        File.WriteAllText(destination, "tampered");
        h.Server.Switches.TaskNotFound = true;
        await Assert.ThrowsAsync<BackendException>(() => h.Backend.DownloadAsync(taskId, destination, None));
    }

    [Fact]
    public async Task A_confirmation_answered_with_an_error_status_is_transient()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var taskId = await ReadyTaskAsync(h);
        h.Server.Switches.ServerErrors = 1;
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.ConfirmAsync(taskId, None));
        Assert.True(e.Transient);
        Assert.Equal(500, e.StatusCode);
        await h.Backend.ConfirmAsync(taskId, None);
    }

    private static async Task<string> ReadyTaskAsync(DrawApiHarness h)
    {
        var taskId = (await h.Backend.SubmitAsync(h.Package(), None)).TaskId;
        Assert.Equal(BackendTaskState.Ready, (await h.PollAsync(taskId)).State);
        return taskId;
    }
}
