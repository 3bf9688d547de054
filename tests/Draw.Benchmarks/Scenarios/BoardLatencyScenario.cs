using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Draw.Benchmarks.Harness;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Worker.Live.HubClient;
using Microsoft.Playwright;

namespace Draw.Benchmarks.Scenarios;

/// <summary>
/// The live board under 100 events per second: events are committed to the change feed and published
/// to the hub the way a worker does (our hub client, the worker key), while headless Chromium shows
/// the board; a MutationObserver stamps each event row when it enters the DOM. The delay is the stamp
/// minus the event's time (taken just before its commit), on the same machine clock.
/// </summary>
public sealed class BoardLatencyScenario : IBenchmarkScenario, IAsyncDisposable
{
    public const string Draw = "DRAW board";
    private const int EventsPerSecond = 100;
    private const string Observer = """
        () => {
          window.__seen = {};
          const stamp = () => {
            const now = Date.now();
            for (const row of document.querySelectorAll('#events .event-row')) {
              const id = row.getAttribute('data-event-id');
              if (!(id in window.__seen)) { window.__seen[id] = now; }
            }
          };
          new MutationObserver(stamp).observe(document.querySelector('#events'), { childList: true, subtree: true, attributes: true, attributeFilter: ['data-event-id'] });
          stamp();
        }
        """;

    private readonly List<double> delays = [];
    private readonly List<double> commits = [];
    private DrawStack? stack;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private string password = "";
    private int runs;
    private int missing;
    private int sent;
    private double sendSeconds;
    private TimeSpan runLength = TimeSpan.FromSeconds(10);

    public BoardLatencyScenario()
    {
        Contenders =
        [
            new Contender(Draw, "Draw.Web as a process (SQLite), one board in headless Chromium; the harness commits one event every 10 ms and publishes it over the hub as a worker does")
            {
                IsDraw = true,
                IsBaseline = true,
                SteadyState = false,
                InProcessAsync = MeasureAsync,
            },
        ];
    }

    public string Name => "board-latency";

    public string Description => "The live board at 100 events per second: delay from an event's commit to its row in the browser's DOM.";

    public string Target => "95th percentile of the delay from commit to the browser's DOM under 250 ms at 100 events per second.";

    public IReadOnlyList<Contender> Contenders { get; }

    public async Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        runLength = context.Mode == BenchmarkMode.Full ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(10);
        stack = await DrawStack.StartAsync(startWorker: false);
        password = await TestUsers.CreateAsync(stack.Database, "bench", DrawRoles.Viewer);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
        });
        var list = Path.Combine(context.WorkFolder, "lists", "board-events.list");
        Directory.CreateDirectory(Path.GetDirectoryName(list)!);
        await File.WriteAllTextAsync(list, "", cancellationToken);
        var seconds = runLength.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        return [new FileSet($"{EventsPerSecond}-per-second", $"{EventsPerSecond} events per second for {seconds} s per run, one board open", [], 0, list)];
    }

    /// <summary>One run: a fresh board page, events at the set rate for the run's length, then the DOM stamps read back.</summary>
    private async Task<WorkReport> MeasureAsync(RunInput input)
    {
        var warmUp = runs++ == 0;
        var page = await OpenBoardAsync();
        var hubOptions = new LiveHubClientOptions { Url = new Uri(stack!.WebUrl + LiveHubContract.Path) };
        hubOptions.Headers[LiveHubContract.WorkerKeyHeader] = stack.Database.DataRoot.ReadOrCreateSecret("live-hub.key");
        await using var hub = new LiveHubClient(hubOptions);
        await hub.StartAsync();

        var times = new Dictionary<long, double>();
        var interval = TimeSpan.FromSeconds(1.0 / EventsPerSecond);
        var count = (int)(runLength.TotalSeconds * EventsPerSecond);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < count; n++)
        {
            var due = interval * n;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var commit = Stopwatch.StartNew();
            await using var db = stack.Database.CreateContext();
            var record = db.Append(TimeProvider.System, "bench.tick", new { n });
            await db.SaveChangesAsync();
            commit.Stop();
            await hub.SendAsync(LiveHubContract.Publish, [new[] { LiveEvent.From(record) }]);
            times[record.Id] = (record.Time - DateTime.UnixEpoch).TotalMilliseconds;
            if (!warmUp)
            {
                commits.Add(commit.Elapsed.TotalMilliseconds);
            }
        }

        var sending = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var seen = JsonSerializer.Deserialize<Dictionary<string, double>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__seen)")) ?? [];
        await page.Context.CloseAsync();
        var shown = 0;
        foreach (var (id, at) in times)
        {
            if (seen.TryGetValue(id.ToString(CultureInfo.InvariantCulture), out var stamp))
            {
                shown++;
                if (!warmUp)
                {
                    delays.Add(stamp - at);
                }
            }
            else if (!warmUp)
            {
                missing++;
            }
        }

        Console.WriteLine($"board-latency: {shown} of {count} events reached the DOM ({seen.Count} rows stamped)");
        if (!warmUp)
        {
            sent += count;
            sendSeconds += sending.TotalSeconds;
        }

        return new WorkReport(shown, sending.TotalSeconds);
    }

    private async Task<IPage> OpenBoardAsync()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(stack!.WebUrl + "/account/login");
        await page.FillAsync("#username", "bench");
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#interactive-marker[data-ready='true']", new() { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync(Observer);
        return page;
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        if (delays.Count == 0)
        {
            return [new TargetCheck(Target, false, "no event reached the board's DOM")];
        }

        var sorted = delays.Order().ToArray();
        var p95 = Percentile(sorted, 0.95);
        var rate = sent / sendSeconds;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{sorted.Length} events over {runs - 1} runs at {rate:0} events/s achieved: delay p50 {Percentile(sorted, 0.5):0} ms, p95 {p95:0} ms, p99 {Percentile(sorted, 0.99):0} ms, max {sorted[^1]:0} ms; {missing} events never shown (pushed out of the 50-row list before a render); commit itself p50 {Percentile([.. commits.Order()], 0.5):0.0} ms");
        return [new TargetCheck("p95 delay from commit to DOM < 250 ms", p95 < 250, detail)];
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }
}
