namespace Draw.Testing.Series;

/// <summary>The size, geometry and identity of a synthetic CT series. Names are obviously synthetic.</summary>
public sealed record CtSeriesOptions
{
    public int Slices { get; init; } = 64;

    public int Rows { get; init; } = 512;

    public int Columns { get; init; } = 512;

    /// <summary>Row and column spacing (the same both ways): 500 mm field of view over 512 pixels by default.</summary>
    public double PixelSpacingMm { get; init; } = 500.0 / 512;

    /// <summary>Slice thickness, also the distance between slice positions.</summary>
    public double SliceThicknessMm { get; init; } = 2.5;

    /// <summary>z of the first slice; null centres the series on z = 0.</summary>
    public double? FirstSliceZMm { get; init; }

    /// <summary>The phantom to sample; null uses the default phantom with lungs in the central 80 % of the series.</summary>
    public CtPhantom? Phantom { get; init; }

    public string PatientName { get; init; } = "SYNTHETIC^PHANTOM";

    public string PatientId { get; init; } = "DRAW-SYNTH-0001";

    public DateOnly StudyDate { get; init; } = new(2000, 1, 1);

    public string StudyDescription { get; init; } = "SYNTHETIC CT PHANTOM";

    public string SeriesDescription { get; init; } = "SYNTHETIC WATER CYLINDER";

    /// <summary>The UID root for new UIDs (study, series, frame of reference, instances).</summary>
    public string UidRoot { get; init; } = "2.25";

    /// <summary>File name of slice i (0-based).</summary>
    public Func<int, string> FileName { get; init; } = i => $"CT{i + 1:D4}.dcm";
}
