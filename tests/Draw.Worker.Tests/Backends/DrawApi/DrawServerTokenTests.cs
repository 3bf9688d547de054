using System.Text;
using Draw.Domain.Segmentation;
using Draw.Testing.FakeDraw;
using Draw.Worker.Backends.DrawApi;

namespace Draw.Worker.Tests.Backends.DrawApi;

/// <summary>Bearer and refresh tokens: refresh before expiry and after a 401 (once), the encrypted store, restarts.</summary>
public sealed class DrawServerTokenTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_expired_token_is_refreshed_on_401_and_the_call_retried_once()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.ExpireTokens = true;
        var status = await h.Backend.GetStatusAsync("unknown-task", None);
        Assert.Equal(BackendTaskState.NotFound, status.State);
        Assert.Equal(1, h.Server.RefreshCount);
        var calls = h.Server.RequestsTo("/status/");
        Assert.Equal(new[] { 401, 404 }, calls.Select(c => c.StatusCode));
        Assert.NotEqual(calls[0].Authorization, calls[1].Authorization);

        var refresh = Assert.Single(h.Server.RequestsTo("/api/token/refresh/"));
        Assert.Equal("Bearer " + h.Server.InitialRefreshToken, refresh.Authorization);
        Assert.StartsWith("application/json", refresh.ContentType, StringComparison.Ordinal);
        DrawServerClientTests.AssertNoSecretsLogged(h);
    }

    [Fact]
    public async Task Concurrent_calls_share_one_refresh()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.ExpireTokens = true;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => h.Backend.GetStatusAsync("unknown-task", None)));
        Assert.Equal(1, h.Server.RefreshCount);
    }

    [Fact]
    public async Task A_token_refused_after_a_refresh_is_a_permanent_token_refused_error_after_exactly_one_retry()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.RejectAllTokens = true;
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.GetStatusAsync("t", None));
        Assert.False(e.Transient);
        Assert.Equal(401, e.StatusCode);
        Assert.Contains("Token refused", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.RequestsTo("/status/").Count);
        Assert.Equal(1, h.Server.RefreshCount);
    }

    [Fact]
    public async Task A_refused_refresh_token_is_permanent()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.ExpireTokens = true;
        h.Server.Switches.RefuseRefresh = true;
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.ConfirmAsync("t", None));
        Assert.False(e.Transient);
        Assert.Contains("refused the refresh token", e.Message, StringComparison.Ordinal);
        Assert.Single(h.Server.RequestsTo("/confirm/"));
    }

    [Fact]
    public async Task Without_a_configured_token_calls_fail_permanently_and_say_which_key_to_set()
    {
        await using var h = await DrawApiHarness.StartAsync(configure: (_, s) =>
        {
            s.Remove("BearerToken");
            s.Remove("RefreshToken");
            s.Remove("BearerTokenExpiresAt");
        });
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.GetStatusAsync("t", None));
        Assert.False(e.Transient);
        Assert.Contains("Draw:DrawServer:BearerToken", e.Message, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests);

        // Health and the catalogue do not need one.
        Assert.Equal(BackendHealthState.Ready, (await h.Backend.CheckHealthAsync(None)).State);
        Assert.Null(h.Server.Requests.Single().Authorization);
    }

    [Fact]
    public async Task A_token_about_to_expire_is_refreshed_before_the_call()
    {
        await using var h = await DrawApiHarness.StartAsync(configure: (_, s) =>
        {
            s["BearerTokenExpiresAt"] = DateTimeOffset.UtcNow.AddSeconds(60).ToString("O");
            s["RefreshBeforeExpirySeconds"] = "300";
        });
        await h.Backend.GetStatusAsync("t", None);
        await h.Backend.GetStatusAsync("t", None);
        Assert.Equal(1, h.Server.RefreshCount);
        Assert.DoesNotContain(h.Server.Requests, r => r.StatusCode == 401);
        var status = h.Server.RequestsTo("/status/");
        Assert.All(status, r => Assert.NotEqual("Bearer " + h.Server.InitialAccessToken, r.Authorization));
        var stored = h.Tokens.Store.Load()!;
        Assert.InRange(stored.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task The_expiry_of_a_jwt_is_read_from_its_exp_claim()
    {
        var options = new FakeDrawServerOptions { JwtAccessTokens = true, OmitExpiresIn = true };
        await using var h = await DrawApiHarness.StartAsync(options, (server, s) =>
        {
            var (access, refresh, _) = server.IssueTokens(TimeSpan.FromMinutes(2));
            s["BearerToken"] = access;
            s["RefreshToken"] = refresh;
            s.Remove("BearerTokenExpiresAt");
            s["RefreshBeforeExpirySeconds"] = "300";
        });
        await h.Backend.GetStatusAsync("t", None);
        await h.Backend.GetStatusAsync("t", None);
        Assert.Equal(1, h.Server.RefreshCount);
        var stored = h.Tokens.Store.Load()!;
        Assert.InRange(stored.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Equal(stored.ExpiresAt, DrawServerTokenManager.JwtExpiry(stored.AccessToken));
        Assert.Null(DrawServerTokenManager.JwtExpiry("opaque-token"));
        Assert.Null(DrawServerTokenManager.JwtExpiry("a.%%%.c"));
    }

    [Fact]
    public async Task Tokens_are_stored_encrypted_and_survive_a_restart_without_reimporting_the_stale_configured_ones()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.ExpireTokens = true;
        await h.Backend.GetStatusAsync("t", None);
        Assert.Equal(1, h.Server.RefreshCount);
        var stored = h.Tokens.Store.Load()!;
        Assert.NotEqual(h.Server.InitialAccessToken, stored.AccessToken);

        // The file holds none of the tokens in clear; the keys are the web's, under secrets/data-protection.
        var file = h.Tokens.Store.FilePath;
        Assert.StartsWith(h.DataRoot.Secrets, file, StringComparison.Ordinal);
        var bytes = File.ReadAllText(file, Encoding.UTF8);
        foreach (var secret in new[] { stored.AccessToken, stored.RefreshToken!, h.Server.InitialAccessToken, h.Server.InitialRefreshToken })
        {
            Assert.DoesNotContain(secret, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), bytes, StringComparison.Ordinal);
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(h.DataRoot.Secrets, "data-protection"), "key-*.xml"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // After a restart (same configuration, whose token the server no longer accepts) the stored token is used.
        h.Restart();
        await h.Backend.GetStatusAsync("t", None);
        Assert.Equal(1, h.Server.RefreshCount);
        Assert.Equal("Bearer " + stored.AccessToken, h.Server.RequestsTo("/status/")[^1].Authorization);
        Assert.DoesNotContain(h.Server.Requests.Skip(3), r => r.StatusCode == 401);
    }

    [Fact]
    public async Task New_tokens_in_configuration_replace_the_stored_ones_at_the_next_start()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.ExpireTokens = true;
        await h.Backend.GetStatusAsync("t", None);
        Assert.Equal(1, h.Server.RefreshCount);

        var (access, refresh, expires) = h.Server.IssueTokens();
        h.Settings["BearerToken"] = access;
        h.Settings["RefreshToken"] = refresh;
        h.Settings["BearerTokenExpiresAt"] = expires.ToString("O");
        h.Restart();
        await h.Backend.GetStatusAsync("t", None);
        Assert.Equal("Bearer " + access, h.Server.RequestsTo("/status/")[^1].Authorization);
        Assert.Equal(1, h.Server.RefreshCount);
        var stored = h.Tokens.Store.Load()!;
        Assert.Equal(access, stored.AccessToken);
        Assert.Equal(TokenStore.Fingerprint(access, refresh, expires), stored.ImportFingerprint);
    }

    [Fact]
    public void The_token_record_never_prints_its_tokens()
    {
        var tokens = new BackendTokens("secret-access", "secret-refresh", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        Assert.DoesNotContain("secret", tokens.ToString(), StringComparison.Ordinal);
    }
}
