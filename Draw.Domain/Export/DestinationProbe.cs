using System.Net;
using System.Net.Http.Headers;
using Draw.Dicom.Network.Client;

namespace Draw.Domain.Export;

/// <summary>One check of a destination test: what was tried and what came of it.</summary>
public sealed record ProbeLine(string Target, bool Ok, string Detail);

public sealed record ProbeReport(string Destination, IReadOnlyList<ProbeLine> Lines)
{
    public bool Ok => Lines.Count > 0 && Lines.All(l => l.Ok);

    public string Summary => $"{(Ok ? "ok" : "failed")}: " + string.Join("; ", Lines.Select(l => $"{l.Target}: {l.Detail}"));
}

/// <summary>
/// The test action of a destination, shared by the worker (a "destination.test" command from the
/// dashboard) and the CLI: C-ECHO to every node, the folder root writable (a temporary file written
/// and removed), the STOW endpoint answering with the authorisation header. Never sends a result.
/// </summary>
public sealed class DestinationProbe(HttpClient http, TimeProvider time)
{
    public async Task<ProbeReport> ProbeAsync(ExportDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var lines = destination.Kind switch
        {
            DestinationKind.Folder => [ProbeFolder(destination.FolderRoot)],
            DestinationKind.WriteBack => [new ProbeLine("series folders", true, "writes beside each series' own images; each folder is checked when a result is written")],
            DestinationKind.DicomNode => await ProbeNodesAsync(destination, cancellationToken),
            DestinationKind.DicomWeb => [await ProbeStowAsync(destination, cancellationToken)],
            _ => new List<ProbeLine> { new(destination.Kind.ToString(), false, "unknown destination kind") },
        };
        return new ProbeReport(destination.Name, lines);
    }

    private static ProbeLine ProbeFolder(string? root)
    {
        if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root))
        {
            return new ProbeLine(root ?? "(no root)", false, "the folder does not exist");
        }

        var probe = Path.Combine(root, $".draw-probe-{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(probe, [0x44, 0x52, 0x41, 0x57]);
            File.Delete(probe);
            return new ProbeLine(root, true, "exists and is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ProbeLine(root, false, $"not writable: {ex.Message}");
        }
    }

    private async Task<List<ProbeLine>> ProbeNodesAsync(ExportDestination destination, CancellationToken cancellationToken)
    {
        var lines = new List<ProbeLine>();
        if (destination.Nodes.Count == 0)
        {
            lines.Add(new ProbeLine("nodes", false, "no node configured"));
        }

        foreach (var node in destination.Nodes.OrderBy(n => n.Position))
        {
            try
            {
                var status = await new DicomClient(DicomNodes.ClientOptions(node, time)).EchoAsync(cancellationToken);
                lines.Add(new ProbeLine(node.ToString(), status.IsSuccess, $"C-ECHO {status}"));
            }
            catch (Exception ex) when (DicomNodes.IsNetworkFailure(ex))
            {
                lines.Add(new ProbeLine(node.ToString(), false, $"C-ECHO failed: {ex.Message}"));
            }
        }

        return lines;
    }

    /// <summary>A GET on the STOW URL with the header: 2xx, or 405 (only POST allowed there), means reachable and authorised.</summary>
    private async Task<ProbeLine> ProbeStowAsync(ExportDestination destination, CancellationToken cancellationToken)
    {
        var url = destination.StowUrl ?? "(no URL)";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
            if (!string.IsNullOrEmpty(destination.AuthorizationHeader))
            {
                request.Headers.TryAddWithoutValidation("Authorization", destination.AuthorizationHeader);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return response.StatusCode switch
            {
                _ when response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.MethodNotAllowed => new ProbeLine(url, true, $"reachable (HTTP {code})"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ProbeLine(url, false, $"the authorisation was refused (HTTP {code})"),
                HttpStatusCode.NotFound => new ProbeLine(url, false, "no such endpoint (HTTP 404)"),
                _ => new ProbeLine(url, false, $"HTTP {code} {response.ReasonPhrase}"),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or UriFormatException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ProbeLine(url, false, $"not reachable: {ex.Message}");
        }
    }
}
