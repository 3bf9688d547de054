using Draw.Domain.Settings;
using Draw.Web.Hosting;

return await StartupGuard.RunAsync("Draw.Web", async () =>
{
    await using var app = WebHost.Build(args);
    WebHost.ValidateSettings(app.Services);
    await app.RunAsync();
});

/// <summary>The entry point; public so tests and the router can name the assembly.</summary>
public partial class Program;
