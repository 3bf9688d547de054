using Draw.Domain.Logging;
using Draw.Domain.Persistence;
using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Web.Api;
using Draw.Web.Components;
using Draw.Web.Hubs;
using Draw.Web.Identity;
using Draw.Web.Live;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Radzen;

namespace Draw.Web.Hosting;

/// <summary>Builds the dashboard: settings, logging, database, identity, Blazor, the hub.</summary>
internal static class WebHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Package assets (Radzen's CSS and JS) are served from their build manifest in every environment.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddDrawCommonSettings(configuration);
        services.AddDrawSetting<IngestOptions, IngestOptionsValidator>(configuration, IngestOptions.Section);
        var dataRoot = new DataRoot(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.DataRoot ?? new StorageOptions().DataRoot);
        builder.Logging.AddDrawLogging(dataRoot, "web");

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LogMask>();
        services.AddDrawDatabase();
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataRoot.Secrets, "data-protection")))
            .SetApplicationName("DRAW");

        AddIdentity(services);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        services.AddRadzenCookieThemeService(o =>
        {
            o.Name = "DrawTheme";
            o.Duration = TimeSpan.FromDays(365);
        });
        services.AddSignalR();
        services.AddSingleton<BrowserBroadcast>();
        services.AddSingleton<LiveEventNotifier>();
        services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<LiveEventNotifier>());
        services.AddSingleton<WorkerWaker>();
        services.AddSingleton<CommandWaiter>();
        services.AddHostedService<SchemaGate>();
        services.AddHostedService<QueryWarmup>();

        var app = builder.Build();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapBlazorScript();
        app.MapGet("/health", () => Results.Text("healthy")).AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapUploadEndpoints();
        app.MapLedgerCsvEndpoints();
        app.MapHub<LiveHub>(LiveHubContract.Path);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();
        return app;
    }

    private static void AddIdentity(IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddScheme<WorkerKeyAuthenticationOptions, WorkerKeyAuthenticationHandler>(WorkerKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "draw.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
        });
        // A disabled user or a changed role takes effect within a minute, not at cookie expiry.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddDrawIdentityCore().AddSignInManager();
        services.AddAuthorization();
    }

    /// <summary>Validates every options class before the server starts listening.</summary>
    public static void ValidateSettings(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LiveOptions>>().Value;
        _ = services.GetRequiredService<IOptions<IngestOptions>>().Value;
    }
}
