using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Draw.Domain.Segmentation;

/// <summary>
/// A backend's access and refresh tokens. <see cref="ImportFingerprint"/> identifies the configured
/// tokens these were imported from (a hash, kept inside the encrypted payload), so configuration
/// is imported once and refreshed tokens are not overwritten by the stale configured ones.
/// </summary>
public sealed record BackendTokens(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, DateTimeOffset UpdatedAt, string? ImportFingerprint = null)
{
    /// <summary>Never prints the tokens.</summary>
    public override string ToString() =>
        $"BackendTokens(access: {(AccessToken.Length > 0 ? "set" : "empty")}, refresh: {(string.IsNullOrEmpty(RefreshToken) ? "none" : "set")}, expires: {ExpiresAt:O})";
}

/// <summary>Encrypts token payloads at rest. The worker and the web implement it with ASP.NET Core Data Protection.</summary>
public interface ITokenProtector
{
    string Protect(string plaintext);

    /// <summary>Throws <see cref="CryptographicException"/> when the payload cannot be decrypted.</summary>
    string Unprotect(string protectedText);
}

/// <summary>
/// Keeps one backend's tokens in an encrypted file under the data root's secrets folder
/// (<c>secrets/tokens-&lt;backend&gt;.protected</c>), written to a temporary name and renamed into
/// place with owner-only permissions. <see cref="LockAsync"/> serialises refreshes across threads
/// and across processes sharing the data root (a refresh may rotate the refresh token, so two
/// workers must not refresh with the same one).
/// </summary>
/// <remarks>
/// A file, not a table: the tokens are a per-installation secret like the other files in secrets/,
/// readable only by processes that share the data root's Data Protection keys anyway; no schema
/// change is needed, and the file lock also covers several worker processes on one data root.
/// </remarks>
public sealed class TokenStore
{
    /// <summary>The Data Protection purpose for token payloads; the web uses the same to write tokens.</summary>
    public const string ProtectionPurpose = "Draw.Segmentation.BackendTokens.v1";

    private const string Header = "DRAW-TOKENS-1";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ITokenProtector protector;

    public TokenStore(string secretsFolder, string backendName, ITokenProtector protector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretsFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(backendName);
        if (backendName.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            throw new ArgumentException("a backend name is letters, digits, '-' and '_'", nameof(backendName));
        }

        this.protector = protector ?? throw new ArgumentNullException(nameof(protector));
        Directory.CreateDirectory(secretsFolder);
        FilePath = Path.Combine(Path.GetFullPath(secretsFolder), $"tokens-{backendName}.protected");
    }

    public string FilePath { get; }

    private string LockPath => FilePath + ".lock";

    /// <summary>A fingerprint of configured tokens (SHA-256, hex), to notice when configuration changes.</summary>
    public static string Fingerprint(string accessToken, string? refreshToken, DateTimeOffset? expiresAt)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        var text = string.Join('\n', accessToken, refreshToken ?? "", expiresAt?.ToUniversalTime().ToString("O") ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The stored tokens, or null when none are stored.</summary>
    /// <exception cref="InvalidDataException">The file exists but cannot be decrypted or read.</exception>
    public BackendTokens? Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(FilePath, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        var lines = text.Split('\n', 2, StringSplitOptions.TrimEntries);
        if (lines.Length != 2 || lines[0] != Header)
        {
            throw new InvalidDataException($"{FilePath} is not a DRAW token file.");
        }

        try
        {
            var tokens = JsonSerializer.Deserialize<BackendTokens>(protector.Unprotect(lines[1]), Json);
            return tokens is { AccessToken.Length: > 0 } ? tokens : throw new InvalidDataException($"{FilePath} holds no access token.");
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{FilePath} cannot be decrypted (were the Data Protection keys under secrets/data-protection replaced?).", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{FilePath} holds an unreadable token payload.", e);
        }
    }

    public void Save(BackendTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var payload = Header + "\n" + protector.Protect(JsonSerializer.Serialize(tokens, Json)) + "\n";
        var temporary = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                stream.Write(Encoding.UTF8.GetBytes(payload));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public void Delete() => File.Delete(FilePath);

    /// <summary>
    /// Takes the store's lock: a semaphore for this process and an exclusive lock file for other
    /// processes. Dispose the result to release it.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(FilePath, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                try
                {
                    // The lock file stays: deleting it on release would let two processes lock different files.
                    var file = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    return new Held(gate, file);
                }
                catch (IOException)
                {
                    // Another process holds it; refreshes are short.
                    await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private sealed class Held(SemaphoreSlim gate, FileStream file) : IAsyncDisposable
    {
        private int released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                await file.DisposeAsync().ConfigureAwait(false);
                gate.Release();
            }
        }
    }
}
