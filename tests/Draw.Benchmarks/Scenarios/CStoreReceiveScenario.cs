using Draw.Benchmarks.Harness;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Placeholder until DRAW has a C-STORE SCP: the report lists it with the reason, no figures.</summary>
public sealed class CStoreReceiveScenario : IBenchmarkScenario
{
    public string Name => "cstore-receive";

    public string Description =>
        "Receive a CT series over C-STORE on 127.0.0.1 (storescu sends), DRAW's listener against storescp and Orthanc, all with TCP_NODELAY=1.";

    public string Target => "To be set by the DICOM network issue.";

    public string? NotYetAvailable => "needs the DICOM network issue (Draw.Dicom/Network C-STORE SCP)";

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        new(HeaderScanScenario.Draw, "DRAW's C-STORE SCP writing each instance to a folder") { IsDraw = true, IsBaseline = true },
        new("storescp", "dcmtk `storescp` writing to a folder") { RequiredProgram = "storescp" },
        new("Orthanc", "Orthanc with its default storage") { RequiredProgram = "Orthanc" },
    ];
}
