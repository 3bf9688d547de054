using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using YamlDotNet.RepresentationModel;

namespace Draw.Worker.Backends.Local;

/// <summary>
/// The built-in engine behind the same contract as a server. Each submission gets a task folder
/// under work/local-engine (named from the package checksum, so submitting the same package twice
/// is one task); its state lives in state.json there, so a restart finds ready results and re-runs
/// unfinished ones. One segmentation runs at a time: it is CPU-bound.
/// </summary>
internal sealed partial class LocalBackend(DataRoot dataRoot, ILogger<LocalBackend> logger) : ISegmentationBackend, IDisposable
{
    public const string BackendName = "local";
    private const string StateFile = "state.json";
    private const string ResultFile = "rtstruct.dcm";

    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private readonly Lock gate = new();
    private readonly Dictionary<string, Task> running = new(StringComparer.Ordinal);

    public string Name => BackendName;

    public bool IdempotentSubmit => true;

    public void Dispose() => oneAtATime.Dispose();

    private string Root => Path.Combine(dataRoot.Work, "local-engine");

    public Task<string> GetCatalogueJsonAsync(CancellationToken cancellationToken) => Task.FromResult(LocalCatalogue.ToJson());

    public Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(new BackendHealth(BackendHealthState.Ready));

    public async Task<BackendSubmission> SubmitAsync(SubmissionPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        await using (var stream = File.OpenRead(package.ZipPath))
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (!string.Equals(actual, package.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new BackendException("the package's checksum does not match", transient: false);
            }
        }

        var taskId = "local-" + package.Sha256[..16];
        var folder = Path.Combine(Root, taskId);
        if (ReadState(folder) is null)
        {
            var input = Path.Combine(folder, "input");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(input);
            ZipFile.ExtractToDirectory(package.ZipPath, input);
            WriteState(folder, new TaskState("pending", null));
        }

        Start(taskId);
        return new BackendSubmission(taskId);
    }

    public Task<BackendTaskStatus> GetStatusAsync(string taskId, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, taskId);
        var state = ReadState(folder);
        return Task.FromResult(state?.Status switch
        {
            null => new BackendTaskStatus(BackendTaskState.NotFound, "not found"),
            "ready" => new BackendTaskStatus(BackendTaskState.Ready, "SEGMENTATION COMPLETED"),
            "failed" => new BackendTaskStatus(BackendTaskState.Failed, "FAILED", state.Error),
            _ => Pending(taskId),
        });
    }

    public async Task<BackendDownload> DownloadAsync(string taskId, string destinationFile, CancellationToken cancellationToken)
    {
        var result = Path.Combine(Root, taskId, ResultFile);
        if (!File.Exists(result))
        {
            throw new BackendException($"task {taskId} has no result", transient: false);
        }

        var temporary = destinationFile + ".part";
        File.Copy(result, temporary, overwrite: true);
        File.Move(temporary, destinationFile, overwrite: true);
        await using var stream = File.OpenRead(destinationFile);
        return new BackendDownload(destinationFile, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)), stream.Length);
    }

    public Task ConfirmAsync(string taskId, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, taskId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A pending task with nothing running for it (the worker restarted) is started again.</summary>
    private BackendTaskStatus Pending(string taskId)
    {
        Start(taskId);
        return new BackendTaskStatus(BackendTaskState.Pending, "PROCESSING");
    }

    private void Start(string taskId)
    {
        lock (gate)
        {
            if (running.TryGetValue(taskId, out var task) && !task.IsCompleted)
            {
                return;
            }

            running[taskId] = Task.Run(() => SegmentAsync(taskId));
        }
    }

    private async Task SegmentAsync(string taskId)
    {
        var folder = Path.Combine(Root, taskId);
        await oneAtATime.WaitAsync();
        try
        {
            if (ReadState(folder) is not { Status: "pending" })
            {
                return;
            }

            var input = Path.Combine(folder, "input");
            var files = Directory.GetFiles(input, "*.dcm").Order(StringComparer.Ordinal).ToList();
            var requested = RequestedStructures(Path.Combine(input, "autosegmentation_template.yml"));
            await new LocalSegmenter().SegmentSeriesAsync(files, Path.Combine(folder, ResultFile), requested, CancellationToken.None);
            WriteState(folder, new TaskState("ready", null));
            LogSegmented(taskId, files.Count);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any failure of the engine on this input is the task's result, reported through the status.
            WriteState(folder, new TaskState("failed", ex.Message));
            LogFailed(taskId, ex.Message);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>The structure names the template asks for: the values of every model's map in the YAML.</summary>
    internal static IReadOnlyCollection<string>? RequestedStructures(string yamlPath)
    {
        if (!File.Exists(yamlPath))
        {
            return null;
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(yamlPath))
        {
            yaml.Load(reader);
        }

        var names = new List<string>();
        if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("models"), out var models) && models is YamlMappingNode modelMap)
        {
            foreach (var model in modelMap.Children.Values.OfType<YamlMappingNode>())
            {
                if (model.Children.TryGetValue(new YamlScalarNode("map"), out var map) && map is YamlMappingNode structures)
                {
                    names.AddRange(structures.Children.Values.OfType<YamlScalarNode>().Select(n => n.Value).OfType<string>());
                }
            }
        }

        return names.Count == 0 ? null : names;
    }

    private static TaskState? ReadState(string folder)
    {
        var path = Path.Combine(folder, StateFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<TaskState>(File.ReadAllText(path)) : null;
    }

    private static void WriteState(string folder, TaskState state)
    {
        var path = Path.Combine(folder, StateFile);
        File.WriteAllText(path + ".part", JsonSerializer.Serialize(state));
        File.Move(path + ".part", path, overwrite: true);
    }

    private sealed record TaskState(string Status, string? Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local engine task {TaskId}: {Files} slices segmented")]
    private partial void LogSegmented(string taskId, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local engine task {TaskId} failed: {Reason}")]
    private partial void LogFailed(string taskId, string reason);
}
