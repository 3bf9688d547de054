namespace Draw.Worker.Health;

/// <summary>GET /health (status and service states) and GET /alive on the worker's loopback port.</summary>
internal static class HealthEndpoints
{
    public static void MapWorkerHealth(this WebApplication app)
    {
        app.MapGet("/alive", () => Results.Text("alive"));
        app.MapGet("/health", (WorkerIdentity identity, ServiceStates services) =>
        {
            var snapshot = services.Snapshot();
            var body = new { status = services.AnyFailed ? "degraded" : "healthy", worker = identity.Id, version = identity.Version, services = snapshot };
            return Results.Json(body, statusCode: services.AnyFailed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
    }
}
