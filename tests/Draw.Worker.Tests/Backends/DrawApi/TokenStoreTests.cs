using System.Security.Cryptography;
using Draw.Domain.Segmentation;
using Draw.Testing;

namespace Draw.Worker.Tests.Backends.DrawApi;

/// <summary>The encrypted token file: round trip, unreadable payloads, and the lock another process would hold.</summary>
public sealed class TokenStoreTests
{
    [Fact]
    public void Tokens_round_trip_and_a_payload_that_cannot_be_decrypted_is_reported_clearly()
    {
        using var folder = new TempFolder("tokens");
        var store = new TokenStore(folder.Path, "draw-server", new XorProtector(1));
        Assert.Null(store.Load());
        var tokens = new BackendTokens("access-1", "refresh-1", DateTimeOffset.UnixEpoch.AddDays(1), DateTimeOffset.UnixEpoch, "fp");
        store.Save(tokens);
        Assert.Equal(tokens, store.Load());

        var other = new TokenStore(folder.Path, "draw-server", new XorProtector(2));
        var e = Assert.Throws<InvalidDataException>(() => other.Load());
        Assert.Contains("cannot be decrypted", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("access-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lock_waits_for_another_holder_of_the_lock_file()
    {
        using var folder = new TempFolder("tokens");
        var store = new TokenStore(folder.Path, "draw-server", new XorProtector(1));
        await using (await store.LockAsync(CancellationToken.None))
        {
        }

        // What another process holding the lock looks like from here.
        using (new FileStream(store.FilePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.LockAsync(soon.Token));
        }

        await using (await store.LockAsync(CancellationToken.None))
        {
        }
    }

    /// <summary>A stand-in for Data Protection with a key per instance (the worker uses the real one).</summary>
    private sealed class XorProtector(byte key) : ITokenProtector
    {
        public string Protect(string plaintext) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(plaintext).Select(b => (byte)(b ^ key)).Prepend(key).ToArray());

        public string Unprotect(string protectedText)
        {
            var bytes = Convert.FromBase64String(protectedText);
            return bytes[0] != key ? throw new CryptographicException("wrong key") : System.Text.Encoding.UTF8.GetString(bytes.Skip(1).Select(b => (byte)(b ^ key)).ToArray());
        }
    }
}
