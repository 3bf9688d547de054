using Draw.Benchmarks.Harness;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Placeholder until DRAW has its de-identification engine: listed with the reason, no figures.</summary>
public sealed class DeidentifyScenario : IBenchmarkScenario
{
    public string Name => "deidentify";

    public string Description =>
        "De-identify every file of a CT series into a new folder (PS3.15 basic profile, UIDs remapped), against pydicom and a plain copy.";

    public string Target => "To be set by the de-identification issue.";

    public string? NotYetAvailable => "needs the de-identification issue (Draw.Dicom/Anonymization)";

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        new(HeaderScanScenario.Draw, "DRAW's anonymization engine with a persistent UID map") { IsDraw = true, IsBaseline = true },
        new("pydicom", "a pydicom script applying the same profile") { RequiredProgram = Tools.Python },
        new("plain copy", "`cp` of the files: the floor any de-identification pays") { RequiredProgram = "cp" },
    ];
}
