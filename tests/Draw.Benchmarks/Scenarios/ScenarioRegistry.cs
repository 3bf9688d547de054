using Draw.Benchmarks.Harness;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Every scenario, in report order. A new scenario is one class and one line here.</summary>
public static class ScenarioRegistry
{
    public static IReadOnlyList<IBenchmarkScenario> All() =>
    [
        new HeaderScanScenario(),
        new ParseWriteScenario(),
        new CStoreReceiveScenario(),
        new CStoreSendScenario(),
        new DeidentifyScenario(),
        new IndexScenario(),
        new LocalEngineScenario(),
        new BoardLatencyScenario(),
        new SeriesPageScenario(),
    ];

    public static IBenchmarkScenario? Find(string name) =>
        All().FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
