using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Health;

namespace Draw.Worker.Commands;

/// <summary>
/// "Test" on the datastore form: looks at a folder from the worker's side (the web may run on
/// another machine, without the share mounted) and records what it found in the command's result
/// and a datastore.tested event. A folder that fails the test is a result, not a command failure.
/// </summary>
internal sealed class DatastoreTestHandler(WorkerIdentity identity, TimeProvider time) : ICommandHandler
{
    /// <summary>Enough to say "there is something here" without walking a huge share.</summary>
    private const int CountLimit = 10_000;

    public string Kind => WorkCommandKinds.TestDatastore;

    public Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(db);
        using var payload = JsonDocument.Parse(command.Payload);
        var path = payload.RootElement.TryGetProperty("path", out var p) ? p.GetString() ?? "" : "";
        var check = Check(path);
        command.Result = CommandResults.Serialize(check);
        db.Append(time, EventKinds.DatastoreTested, new { command = command.Id, ok = check.Ok, detail = check.Detail, worker = identity.Id });
        return Task.CompletedTask;
    }

    public FolderCheck Check(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathRooted(path))
        {
            return Result(path, false, false, 0, 0, $"'{path}' is not an absolute folder path.");
        }

        if (File.Exists(path))
        {
            return Result(path, false, false, 0, 0, $"{path} is a file, not a folder.");
        }

        if (!Directory.Exists(path))
        {
            return Result(path, false, false, 0, 0, $"{path} does not exist on worker {identity.Host}, or is not mounted there.");
        }

        try
        {
            var folders = Directory.EnumerateDirectories(path).Take(CountLimit).Count();
            var files = Directory.EnumerateFiles(path).Take(CountLimit).ToList();
            if (files.Count > 0)
            {
                // Listing is not reading: open one file as a scan would.
                using var stream = File.OpenRead(files[0]);
                _ = stream.ReadByte();
            }

            return Result(path, true, true, folders, files.Count,
                $"{path} is readable on worker {identity.Host}: {Count(folders, "folder")} and {Count(files.Count, "file")} at the top level.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Result(path, true, false, 0, 0, $"{path} exists on worker {identity.Host} but cannot be read: {ex.Message}");
        }
    }

    private FolderCheck Result(string path, bool exists, bool readable, int folders, int files, string detail) =>
        new(path, exists, readable, folders, files, detail, identity.Id);

    private static string Count(int n, string what) => n >= CountLimit ? $"{CountLimit}+ {what}s" : n == 1 ? $"1 {what}" : $"{n} {what}s";
}
