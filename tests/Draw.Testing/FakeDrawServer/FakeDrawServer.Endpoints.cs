using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Microsoft.AspNetCore.Http;

namespace Draw.Testing.FakeDraw;

/// <summary>The API's endpoints and the segmentation each upload starts.</summary>
public sealed partial class FakeDrawServer
{
    private async Task Health(HttpContext context)
    {
        if (Switches.TakeBusy())
        {
            await Busy(context);
            return;
        }

        await Answer(context, HttpStatusCode.OK, new { status = "healthy", details = new { queued = tasks.Values.Count(t => t.Status == "Queued") } });
    }

    private Task Models(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(Options.CatalogueJson ?? FakeCatalogue.Json, context.RequestAborted);
    }

    private async Task Refresh(HttpContext context)
    {
        var refresh = Bearer(context);
        if (Switches.RefuseRefresh || refresh is null || !refreshTokens.ContainsKey(refresh))
        {
            await Answer(context, HttpStatusCode.Unauthorized, new { detail = "Invalid or expired refresh token" });
            return;
        }

        Interlocked.Increment(ref refreshCount);
        var (access, _) = NewAccessToken(Options.AccessTokenLifetime);
        var answer = new Dictionary<string, object> { ["access_token"] = access, ["token_type"] = "Bearer" };
        if (Options.RotateRefreshTokens)
        {
            var next = "rt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            refreshTokens[next] = true;
            refreshTokens.TryRemove(refresh, out _);
            answer["refresh_token"] = next;
        }

        if (!Options.OmitExpiresIn)
        {
            answer["expires_in"] = (long)Options.AccessTokenLifetime.TotalSeconds;
        }

        await Answer(context, HttpStatusCode.OK, answer);
    }

    private async Task Upload(HttpContext context)
    {
        if (!await Authorized(context))
        {
            return;
        }

        if (Switches.TakeBusy() || Switches.TakeBusyUpload())
        {
            await Busy(context);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await Answer(context, HttpStatusCode.BadRequest, new { error = "multipart/form-data expected" });
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files.GetFile("file");
        var checksum = form["checksum"].ToString();
        var clientId = form.TryGetValue("client_id", out var c) ? c.ToString() : null;
        if (file is null)
        {
            Record(new FakeDrawUpload(null, null, clientId, checksum, null, 0, Header(context, "Authorization"), null));
            await Answer(context, HttpStatusCode.BadRequest, new { error = "file is required" });
            return;
        }

        var taskId = Guid.NewGuid().ToString("N");
        var zipPath = Path.Combine(Directory.CreateDirectory(Path.Combine(storage.Path, "uploads")).FullName, taskId + ".zip");
        string actual;
        await using (var target = File.Create(zipPath))
        {
            await using var source = file.OpenReadStream();
            await source.CopyToAsync(target, context.RequestAborted);
            target.Position = 0;
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(target, context.RequestAborted));
        }

        if (string.IsNullOrEmpty(checksum) || !string.Equals(checksum, actual, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(zipPath);
            Record(new FakeDrawUpload(null, file.FileName, clientId, checksum, actual, file.Length, Header(context, "Authorization"), file.ContentType));
            await Answer(context, HttpStatusCode.BadRequest, new { error = "Checksum mismatch" });
            return;
        }

        var task = new FakeTask(taskId, zipPath) { Status = "Queued" };
        tasks[taskId] = task;
        Record(new FakeDrawUpload(taskId, file.FileName, clientId, checksum, actual, file.Length, Header(context, "Authorization"), file.ContentType));
        running.Add(Task.Run(() => SegmentAsync(task, stopping.Token)));
        await Answer(context, HttpStatusCode.Created, Switches.AnswerTransactionToken
            ? new Dictionary<string, string> { ["transaction_token"] = taskId, ["status"] = "uploaded" }
            : new Dictionary<string, string> { ["task_id"] = taskId, ["status"] = "uploaded" });
    }

    private async Task Status(HttpContext context, string taskId)
    {
        if (!await Authorized(context) || await NotFound(context, taskId) is not { } task)
        {
            return;
        }

        var answer = new Dictionary<string, string> { ["task_id"] = task.Id, ["status"] = task.Status };
        if (task.Error is not null)
        {
            answer["error"] = task.Error;
        }

        await Answer(context, HttpStatusCode.OK, answer);
    }

    private async Task Download(HttpContext context, string taskId)
    {
        if (!await Authorized(context) || await NotFound(context, taskId) is not { } task)
        {
            return;
        }

        if (task.Status != CompletedStatus || task.ResultPath is null || !File.Exists(task.ResultPath))
        {
            await Answer(context, HttpStatusCode.NotFound, new { detail = $"No RTSTRUCT for task {taskId} (status {task.Status})" });
            return;
        }

        byte[] body;
        if (Switches.NotAnRtStruct)
        {
            body = await File.ReadAllBytesAsync(FakeSegmentation.ReadSlices(task.WorkFolder!, CancellationToken.None)[0].FilePath!);
        }
        else if (Switches.WrongSeries)
        {
            body = OtherSeries(task.ResultPath);
        }
        else
        {
            body = await File.ReadAllBytesAsync(task.ResultPath);
        }

        Interlocked.Increment(ref task.Downloads);
        if (!Switches.OmitChecksum)
        {
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Switches.WrongChecksum ? [.. body, 0] : body));
            context.Response.Headers["X-File-Checksum"] = Switches.UpperCaseChecksum ? checksum.ToUpperInvariant() : checksum;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/dicom";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"rtstruct_{taskId}.dcm\"";
        context.Response.ContentLength = body.Length;
        var half = body.Length / 2;
        await context.Response.Body.WriteAsync(body.AsMemory(0, half), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await DownloadGate.PassAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync(body.AsMemory(half), context.RequestAborted);
        await context.Response.CompleteAsync();
        Interlocked.Increment(ref task.CompletedDownloads);
    }

    private async Task Confirm(HttpContext context, string taskId)
    {
        if (!await Authorized(context) || await NotFound(context, taskId) is not { } task)
        {
            return;
        }

        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        if (Switches.TakeFailConfirmation())
        {
            Record(new FakeDrawConfirmation(taskId, body, Accepted: false));
            await Answer(context, HttpStatusCode.OK, new { message = "Confirmation could not be processed, try again" });
            return;
        }

        Record(new FakeDrawConfirmation(taskId, body, Accepted: true));
        if (task.Status == CompletedStatus)
        {
            task.Status = DeliveredStatus;
            TryDelete(task.ResultPath);
            TryDelete(task.ZipPath);
        }

        await Answer(context, HttpStatusCode.OK, new { message = Options.ConfirmationMessage });
    }

    private async Task SegmentAsync(FakeTask task, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Switches.QueuedDelay, cancellationToken);
            task.Status = "Processing";
            await Task.Delay(Switches.ProcessingDelay, cancellationToken);
            var folder = Path.Combine(storage.Path, "work", task.Id);
            Directory.CreateDirectory(folder);
            ZipFile.ExtractToDirectory(task.ZipPath, folder);
            task.WorkFolder = folder;
            task.SeriesUids = FakeSegmentation.ReadSlices(folder, cancellationToken)
                .Select(s => s.Dataset.GetString(DicomTags.SeriesInstanceUID) ?? "").Distinct(StringComparer.Ordinal).ToList();
            if (Switches.FailSegmentation)
            {
                task.Error = "Segmentation failed: no model could process the series (fake)";
                task.Status = FailedStatus;
                return;
            }

            var result = Path.Combine(storage.Path, "results", task.Id + ".dcm");
            await (Options.Segmenter ?? FakeSegmentation.MakeRtStructAsync)(folder, result, cancellationToken);
            task.ResultPath = result;
            task.Status = CompletedStatus;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server stops.
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or DicomFormatException or UnauthorizedAccessException)
        {
            task.Error = "Segmentation failed: " + e.Message;
            task.Status = FailedStatus;
        }
    }

    /// <summary>The RTSTRUCT with every referenced series UID replaced by a new one.</summary>
    private static byte[] OtherSeries(string rtPath)
    {
        var file = DicomFile.Open(rtPath);
        var set = RtStructureSet.Read(file.Dataset);
        var other = DicomUidGenerator.Default.Generate();
        var frames = set.ReferencedFrames
            .Select(f => f with { Studies = f.Studies.Select(s => s with { Series = s.Series.Select(x => x with { SeriesInstanceUid = other }).ToList() }).ToList() })
            .ToList();
        set.ReferencedFrames.Clear();
        set.ReferencedFrames.AddRange(frames);
        set.WriteTo(file.Dataset);
        using var stream = new MemoryStream();
        DicomFileWriter.Write(stream, file);
        return stream.ToArray();
    }
}
