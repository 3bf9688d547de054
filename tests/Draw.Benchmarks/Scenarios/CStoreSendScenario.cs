using Draw.Benchmarks.Harness;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Placeholder until DRAW has a C-STORE SCU: the report lists it with the reason, no figures.</summary>
public sealed class CStoreSendScenario : IBenchmarkScenario
{
    public string Name => "cstore-send";

    public string Description =>
        "Send a CT series over C-STORE to storescp on 127.0.0.1, DRAW's sender against storescu, all with TCP_NODELAY=1.";

    public string Target => "To be set by the DICOM network issue.";

    public string? NotYetAvailable => "needs the DICOM network issue (Draw.Dicom/Network C-STORE SCU)";

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        new(HeaderScanScenario.Draw, "DRAW's C-STORE SCU, one association") { IsDraw = true, IsBaseline = true },
        new("storescu", "dcmtk `storescu`, one association") { RequiredProgram = "storescu" },
    ];
}
