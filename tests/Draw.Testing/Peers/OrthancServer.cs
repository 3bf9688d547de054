using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draw.Testing.Peers;

/// <summary>A DICOM modality Orthanc may talk to (DicomModalities entry): its AE title and where it listens.</summary>
public sealed record OrthancModality(string Name, string AeTitle, int Port, string Host = "127.0.0.1");

/// <summary>
/// Orthanc (Debian package) started from a temporary folder: free loopback ports, its own storage, no
/// authentication, remote HTTP access refused, only the given modalities allowed (checked by AE and host),
/// the DICOMweb plugin loaded. Ready once GET /system answers; disposing kills it and deletes the folder.
/// Orthanc 1.10 has no bind-address option: its DICOM port listens on all interfaces, which is why only the
/// listed modalities at 127.0.0.1 may use it.
/// </summary>
public sealed class OrthancServer : IAsyncDisposable
{
    private readonly TempFolder _folder;
    private readonly PeerProcess _process;

    private OrthancServer(TempFolder folder, PeerProcess process, int httpPort, int dicomPort, string aeTitle)
    {
        _folder = folder;
        _process = process;
        HttpPort = httpPort;
        DicomPort = dicomPort;
        AeTitle = aeTitle;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int HttpPort { get; }

    public int DicomPort { get; }

    public string AeTitle { get; }

    public HttpClient Http { get; }

    public string Log => _process.Output;

    public static async Task<OrthancServer> StartAsync(IEnumerable<OrthancModality> modalities, string aeTitle = "ORTHANC")
    {
        var folder = new TempFolder("draw-orthanc");
        var httpPort = FreePort.Next();
        var dicomPort = FreePort.Next();
        var modalityConfig = new JsonObject();
        foreach (var m in modalities)
        {
            modalityConfig[m.Name] = new JsonObject
            {
                ["AET"] = m.AeTitle,
                ["Host"] = m.Host,
                ["Port"] = m.Port,
                ["AllowEcho"] = true,
                ["AllowFind"] = true,
                ["AllowMove"] = true,
                ["AllowGet"] = true,
                ["AllowStore"] = true,
            };
        }

        var config = new JsonObject
        {
            ["Name"] = "DRAW test Orthanc",
            ["StorageDirectory"] = Path.Combine(folder.Path, "storage"),
            ["IndexDirectory"] = Path.Combine(folder.Path, "index"),
            [nameof(HttpPort)] = httpPort,
            [nameof(DicomPort)] = dicomPort,
            ["DicomAet"] = aeTitle,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomCheckCalledAet"] = true,
            ["DicomAlwaysAllowEcho"] = false,
            ["DicomAlwaysAllowStore"] = false,
            ["DicomCheckModalityHost"] = true,
            ["DicomModalities"] = modalityConfig,
            ["DicomScuTimeout"] = 30,
            ["SaveJobs"] = false,
            ["StorageCompression"] = false,
            ["OverwriteInstances"] = true,
            ["UnknownSopClassAccepted"] = true,
            ["Plugins"] = new JsonArray(FindDicomWebPlugin()),
            ["DicomWeb"] = new JsonObject { ["Enable"] = true, ["Root"] = "/dicom-web/" },
        };
        var configPath = Path.Combine(folder.Path, "orthanc.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var process = PeerProcess.Start("/usr/sbin/Orthanc", [configPath], folder.Path);
        var server = new OrthancServer(folder, process, httpPort, dicomPort, aeTitle);
        try
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>POST /instances: uploads one Part 10 file through REST.</summary>
    public async Task UploadAsync(string file)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        using var response = await Http.PostAsync("instances", content);
        response.EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<string>> GetIdsAsync(string level) =>
        await Http.GetFromJsonAsync<List<string>>(level) ?? [];

    /// <summary>POST /modalities/{name}/store: Orthanc sends resources (Orthanc IDs) to a modality by C-STORE.</summary>
    public async Task<JsonNode?> StoreToModalityAsync(string modality, IEnumerable<string> resourceIds)
    {
        var request = new JsonObject
        {
            ["Resources"] = new JsonArray([.. resourceIds.Select(id => JsonValue.Create(id))]),
            ["Synchronous"] = true,
        };
        using var content = new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync($"modalities/{modality}/store", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"store to {modality} failed ({(int)response.StatusCode}): {body}\n{Log}");
        }

        return JsonNode.Parse(body);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        _folder.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Orthanc exited with {_process.ExitCode}:\n{_process.Output}");
            }

            try
            {
                using var response = await Http.GetAsync("system");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Orthanc did not answer GET /system within {timeout}:\n{_process.Output}");
    }

    private static string FindDicomWebPlugin()
    {
        foreach (var dir in new[] { "/usr/share/orthanc/plugins", "/usr/lib/orthanc" })
        {
            if (Directory.Exists(dir) && Directory.GetFiles(dir, "libOrthancDicomWeb.so*").OrderBy(p => p.Length).FirstOrDefault() is { } found)
            {
                return found;
            }
        }

        throw new FileNotFoundException("the Orthanc DICOMweb plugin (orthanc-dicomweb) is not installed");
    }
}
