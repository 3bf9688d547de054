using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Draw.Domain.Export;

namespace Draw.Worker.Exporters;

/// <summary>
/// DICOMweb STOW-RS (PS3.18 10.5): one POST of multipart/related; type="application/dicom" with the
/// file as its part, the authorisation header from the destination, and the response's Failed SOP
/// Sequence (0008,1198) read for a per-instance failure reason.
/// </summary>
internal sealed class StowExporter(ExportHttp http) : IExporter
{
    private const string FailedSopSequence = "00081198";
    private const string FailureReason = "00081197";

    public IReadOnlyCollection<DestinationKind> Kinds { get; } = [DestinationKind.DicomWeb];

    public async Task<ExportOutcome> ExportAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = request.Destination.StowUrl!;
        using var content = new MultipartContent("related", "DRAW-" + Guid.NewGuid().ToString("N"));
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        var part = new StreamContent(File.OpenRead(request.Delivery.SourcePath));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        content.Add(part);
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        if (!string.IsNullOrEmpty(request.Destination.AuthorizationHeader))
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Destination.AuthorizationHeader);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        HttpResponseMessage response;
        try
        {
            response = await http.Client.SendAsync(message, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ExportOutcome.Retry($"STOW to {url} did not answer: {ex.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = (int)response.StatusCode;
            var failure = FailureIn(body);
            if (response.IsSuccessStatusCode && failure is null)
            {
                return ExportOutcome.Done(url, request.Facts.SopInstanceUid);
            }

            var reason = $"STOW answered HTTP {code}{(failure is null ? "" : ", " + failure)}";
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExportOutcome.Refused(reason + ": the authorisation was refused"),
                HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => ExportOutcome.Retry(reason),
                _ when code >= 500 => ExportOutcome.Retry(reason),
                _ when code == 202 => ExportOutcome.Retry(reason),
                _ => ExportOutcome.Refused(reason),
            };
        }
    }

    /// <summary>The failure reason of the first Failed SOP Sequence item (DICOM JSON), if the response has one.</summary>
    private static string? FailureIn(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty(FailedSopSequence, out var failed) || !failed.TryGetProperty("Value", out var items) || items.GetArrayLength() == 0)
            {
                return null;
            }

            var item = items[0];
            return item.TryGetProperty(FailureReason, out var reason) && reason.TryGetProperty("Value", out var values) && values.GetArrayLength() > 0
                ? $"failure reason 0x{values[0].GetInt32():X4}"
                : "the instance is in the Failed SOP Sequence";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The worker's HttpClient for DICOMweb destinations and probes (no redirects: a credential is never sent elsewhere).</summary>
internal sealed class ExportHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}
