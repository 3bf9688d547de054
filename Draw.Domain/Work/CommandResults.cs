using System.Text.Json;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Work;

/// <summary>What a worker found checking a folder (the datastore.test command).</summary>
public sealed record FolderCheck(string Path, bool Exists, bool Readable, int Folders, int Files, string Detail, string Worker)
{
    public bool Ok => Exists && Readable;
}

/// <summary>What a worker found checking one backend's connection (the backend.test command).</summary>
public sealed record BackendCheck(string Backend, string State, string? Detail, long Milliseconds, string Worker)
{
    public bool Ok => State == "Ready";
}

/// <summary>Reading a command's outcome back, for the page that queued it.</summary>
public static class CommandResults
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T result) => JsonSerializer.Serialize(result, Json);

    public static T? Read<T>(string? json)
        where T : class
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The command's row once a worker completed it, or null while it is still queued or running.</summary>
    public static async Task<WorkCommand?> CompletedAsync(this DrawDbContext db, long commandId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.WorkCommands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commandId && c.CompletedAt != null, cancellationToken);
    }

    /// <summary>The latest completed command of a kind, for a page that shows the last test result.</summary>
    public static async Task<WorkCommand?> LatestCompletedAsync(this DrawDbContext db, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.WorkCommands.AsNoTracking()
            .Where(c => c.Kind == kind && c.CompletedAt != null)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
