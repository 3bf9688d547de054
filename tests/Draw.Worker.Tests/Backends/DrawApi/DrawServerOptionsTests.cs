using System.Net;
using Draw.Domain.Settings;
using Draw.Worker.Backends.DrawApi;
using Microsoft.Extensions.Configuration;

namespace Draw.Worker.Tests.Backends.DrawApi;

/// <summary>Settings validation, URL joining and the proxy handler.</summary>
public sealed class DrawServerOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_name_the_original_endpoints()
    {
        var options = new DrawServerOptions();
        Assert.True(new DrawServerOptionsValidator().Validate(null, options).Succeeded);
        var urls = new DrawServerUrls(options);
        Assert.Equal("https://draw.chavi.ai/api/upload/", urls.Upload.ToString());
        Assert.Equal("https://draw.chavi.ai/api/upload/T1/status/", urls.Status("T1").ToString());
        Assert.Equal("https://draw.chavi.ai/api/rtstruct/T1/", urls.Download("T1").ToString());
        Assert.Equal("https://draw.chavi.ai/api/rtstruct/T1/confirm/", urls.Confirm("T1").ToString());
        Assert.Equal("https://draw.chavi.ai/api/token/refresh/", urls.TokenRefresh.ToString());
        Assert.Equal("https://draw.chavi.ai/api/health/", urls.Health.ToString());
        Assert.Equal("https://draw.chavi.ai/api/models/", urls.Models.ToString());
        Assert.Equal(TimeSpan.FromDays(7), options.GiveUpAfter);
    }

    [Theory]
    [InlineData("https://h.example/draw", "/api/rtstruct/{task_id}/")]
    [InlineData("https://h.example/draw/", "/api/rtstruct/{task_id}/")]
    [InlineData("https://h.example/draw/", "api/rtstruct/{task_id}/")]
    [InlineData("https://h.example/draw", "api/rtstruct/{task_id}/")]
    public void Base_url_and_endpoint_join_with_one_slash_whatever_their_ends(string baseUrl, string endpoint)
    {
        var urls = new DrawServerUrls(new DrawServerOptions { BaseUrl = baseUrl, DownloadEndpoint = endpoint });
        Assert.Equal("https://h.example/draw/api/rtstruct/abc-1/", urls.Download("abc-1").ToString());
        Assert.Equal("https://h.example/draw/api/rtstruct/a%20b%2Fc/", urls.Download("a b/c").AbsoluteUri);
    }

    [Fact]
    public void Invalid_settings_are_reported_with_their_keys()
    {
        var options = new DrawServerOptions
        {
            Enabled = true,
            BaseUrl = "draw.example",
            StatusEndpoint = "/api/upload/status/",
            UploadEndpoint = "https://elsewhere.example/api/upload/",
            RefreshToken = "r",
            RequestTimeoutSeconds = 0,
            GiveUpAfterDays = 0,
            FailedStatuses = ["SEGMENTATION COMPLETED"],
            Proxy = new DrawServerProxyOptions { Username = "u", BypassList = ["(unclosed"] },
        };
        var result = new DrawServerOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        foreach (var key in new[]
                 {
                     "BaseUrl", "ClientId", "StatusEndpoint", "UploadEndpoint", "BearerToken", "RequestTimeoutSeconds", "GiveUpAfterDays", "FailedStatuses",
                     "Proxy:Username", "Proxy:BypassList",
                 })
        {
            Assert.Contains(failures, f => f.StartsWith($"Draw:DrawServer:{key} ", StringComparison.Ordinal));
        }

        Assert.All(failures, f => Assert.DoesNotContain("=r", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Status_lists_from_configuration_replace_the_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReadyStatuses:0"] = "DONE",
            ["Proxy:BypassList:0"] = "internal\\.example",
        }).Build();
        var options = configuration.Get<DrawServerOptions>()!;
        Assert.Equal(new[] { "DONE" }, options.EffectiveReadyStatuses);
        Assert.Equal(DrawServerOptions.DefaultFailedStatuses, options.EffectiveFailedStatuses);
        Assert.Equal(new[] { "internal\\.example" }, options.Proxy.BypassList);
    }

    [Fact]
    public void An_explicit_proxy_with_bypass_list_and_credentials_is_applied_to_the_handler()
    {
        using var handler = DrawServerHandlerFactory.Create(new DrawServerOptions
        {
            ConnectTimeoutSeconds = 7,
            Proxy = new DrawServerProxyOptions
            {
                Address = "http://proxy.example:3128",
                BypassList = ["draw\\.local", "10\\..*"],
                BypassOnLocal = true,
                Username = "svc-draw",
                Password = "pw",
                Domain = "HOSPITAL",
            },
        });
        Assert.True(handler.UseProxy);
        var proxy = Assert.IsType<WebProxy>(handler.Proxy);
        Assert.Equal(new Uri("http://proxy.example:3128"), proxy.Address);
        Assert.Equal(new[] { "draw\\.local", "10\\..*" }, proxy.BypassList);
        Assert.True(proxy.BypassProxyOnLocal);
        Assert.True(proxy.IsBypassed(new Uri("http://draw.local/api/")));
        Assert.False(proxy.IsBypassed(new Uri("https://draw.chavi.ai/api/")));
        var credential = proxy.Credentials!.GetCredential(new Uri("http://proxy.example:3128"), "Basic")!;
        Assert.Equal(("svc-draw", "pw", "HOSPITAL"), (credential.UserName, credential.Password, credential.Domain));
        Assert.Equal(TimeSpan.FromSeconds(7), handler.ConnectTimeout);
        Assert.False(handler.AllowAutoRedirect);
    }

    [Fact]
    public void Without_an_address_the_system_proxy_applies_and_disabled_goes_direct()
    {
        using var system = DrawServerHandlerFactory.Create(new DrawServerOptions());
        Assert.True(system.UseProxy);
        Assert.Null(system.Proxy);

        using var direct = DrawServerHandlerFactory.Create(new DrawServerOptions { Proxy = new DrawServerProxyOptions { Disabled = true } });
        Assert.False(direct.UseProxy);
    }
}
