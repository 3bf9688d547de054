using System.Security.Cryptography;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Web.Live;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Draw.Web.Api;

/// <summary>
/// POST /api/uploads: a zip, streamed to disk as it arrives (never whole in memory), up to
/// Draw:Ingest:UploadMaxBytes. Accepts multipart/form-data (the dashboard) or a raw body with
/// ?fileName=... (scripts). The worker extracts it; this endpoint only keeps it and records it.
/// </summary>
internal static class UploadEndpoints
{
    public static void MapUploadEndpoints(this WebApplication app)
    {
        app.MapPost("/api/uploads", ReceiveAsync)
            .RequireAuthorization(policy => policy.RequireRole(DrawRoles.Physicist, DrawRoles.Admin))
            .DisableAntiforgery();
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext context,
        IDbContextFactory<DrawDbContext> contexts,
        IOptions<IngestOptions> options,
        DataRoot dataRoot,
        LiveEventNotifier notifier,
        WorkerWaker waker,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!SameOrigin(context.Request))
        {
            // The cookie is SameSite=Strict; this also refuses a cross-site form post outright.
            return Results.Problem("Cross-site uploads are refused.", statusCode: StatusCodes.Status403Forbidden);
        }

        var limit = options.Value.UploadMaxBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + (1024 * 1024);
        }

        var folder = Path.Combine(dataRoot.Path, "uploads", "incoming");
        Directory.CreateDirectory(folder);
        var (stream, fileName) = await OpenFileAsync(context.Request, cancellationToken);
        if (stream is null || string.IsNullOrWhiteSpace(fileName))
        {
            return Results.Problem("Send one zip file: multipart/form-data with a file, or a raw body with ?fileName=NAME.zip.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem($"'{Path.GetFileName(fileName)}' is not a .zip file.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var stored = Path.Combine(folder, $"{Guid.NewGuid():N}.zip");
        var temporary = stored + ".part";
        long size;
        string sha256;
        try
        {
            (size, sha256) = await CopyLimitedAsync(stream, temporary, limit, cancellationToken);
        }
        catch (UploadTooLargeException)
        {
            File.Delete(temporary);
            return Results.Problem($"The upload is larger than the limit of {limit} bytes (Draw:Ingest:UploadMaxBytes).", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            File.Delete(temporary);
            throw;
        }

        File.Move(temporary, stored);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var upload = new Upload
        {
            FileName = Path.GetFileName(fileName),
            StoredPath = stored,
            SizeBytes = size,
            Sha256 = sha256,
            Status = UploadStatus.Uploaded,
            UploadedBy = context.User.Identity?.Name,
            UploadedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Uploads.Add(upload);
        await db.SaveChangesAsync(cancellationToken);
        db.Append(time, EventKinds.UploadReceived, new { upload = upload.Id, name = upload.FileName, bytes = size, by = upload.UploadedBy });
        await db.SaveAndPublishAsync(notifier, cancellationToken);
        await waker.WakeAsync("upload");
        return Results.Created($"/api/uploads/{upload.Id}", new { id = upload.Id, fileName = upload.FileName, sizeBytes = size, sha256, status = upload.Status.ToString() });
    }

    private static async Task<(Stream? Stream, string? FileName)> OpenFileAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (request.Body, request.Query["fileName"].ToString());
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, null);
        }

        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                return (section.Body, HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
            }
        }

        return (null, null);
    }

    private static async Task<(long Size, string Sha256)> CopyLimitedAsync(Stream source, string path, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        var buffer = new byte[128 * 1024];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new UploadTooLargeException();
            }

            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return string.IsNullOrEmpty(origin)
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class UploadTooLargeException : Exception;
}
