using Draw.Domain.Settings;
using Draw.Worker.Hosting;

return await StartupGuard.RunAsync("Draw.Worker", async () =>
{
    await using var app = WorkerHost.Build(args);
    WorkerHost.ValidateSettings(app.Services);
    await app.RunAsync();
});
