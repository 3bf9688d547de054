using Draw.Testing.Database;

namespace Draw.Testing.Processes;

/// <summary>
/// The whole product as real processes on a temporary data root: a database (SQLite by default),
/// the dashboard on a free port, and a worker connected to it.
/// </summary>
public sealed class DrawStack : IAsyncDisposable
{
    private DrawStack(TestDatabase database, int webPort)
    {
        Database = database;
        WebPort = webPort;
    }

    public TestDatabase Database { get; }

    public int WebPort { get; }

    public string WebUrl => $"http://127.0.0.1:{WebPort}";

    public DrawProcess? Web { get; private set; }

    public DrawProcess? Worker { get; private set; }

    public int WorkerHealthPort { get; private set; }

    /// <summary>Extra settings for both processes (Draw__Section__Key to value), e.g. shorter quiet periods.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private init; } = new Dictionary<string, string>();

    public static async Task<DrawStack> StartAsync(string provider = "Sqlite", bool startWorker = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var stack = new DrawStack(database, FreePort.Next()) { Settings = settings ?? new Dictionary<string, string>() };
        stack.Web = DrawProcess.Start("web", RepoPaths.ProgramDll("Draw.Web", "Draw.Web"), stack.Environment(), "--urls", stack.WebUrl);
        await stack.Web.WaitForHttpAsync(stack.WebUrl + "/health", TimeSpan.FromSeconds(60));
        if (startWorker)
        {
            await stack.StartWorkerAsync();
        }

        return stack;
    }

    public async Task<DrawProcess> StartWorkerAsync()
    {
        WorkerHealthPort = FreePort.Next();
        var environment = new Dictionary<string, string>(Environment())
        {
            ["Draw__Worker__HealthPort"] = WorkerHealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Draw__Listener__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Worker = DrawProcess.Start("worker", RepoPaths.ProgramDll("Draw.Worker", "Draw.Worker"), environment);
        await Worker.WaitForHttpAsync($"http://127.0.0.1:{WorkerHealthPort}/alive", TimeSpan.FromSeconds(60));
        return Worker;
    }

    public IReadOnlyDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(Database.Environment)
        {
            ["Draw__Live__HubUrl"] = WebUrl + "/hubs/live",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in Settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Everything both processes printed, for a failing test's message.</summary>
    public string Logs => $"--- web ---\n{Web?.Output}\n--- worker ---\n{Worker?.Output}";

    public async ValueTask DisposeAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        if (Web is not null)
        {
            await Web.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
