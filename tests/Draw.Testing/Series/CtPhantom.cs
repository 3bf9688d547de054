namespace Draw.Testing.Series;

/// <summary>
/// The analytic CT phantom the series generator samples, in patient coordinates (LPS, millimetres; the
/// patient lies head first supine, so +x is the patient's left and +y is posterior). Air everywhere, a water
/// cylinder along z, two lung-like ellipses inside it (only in the central part of the series), and a dense
/// couch slab below the cylinder. Tests compare generated pixels with <see cref="HounsfieldAt"/>.
/// </summary>
public sealed record CtPhantom
{
    public const short AirHu = -1000;
    public const short WaterHu = 0;
    public const short LungHu = -800;
    public const short CouchHu = 1000;

    /// <summary>Radius of the water cylinder, centred on x = 0, y = 0.</summary>
    public double WaterRadiusMm { get; init; } = 150;

    /// <summary>Centre and semi-axes (x, y) of the patient's right lung (negative x); the left lung mirrors it.</summary>
    public double LungCentreXMm { get; init; } = 60;

    public double LungCentreYMm { get; init; } = -10;

    public double LungSemiAxisXMm { get; init; } = 40;

    public double LungSemiAxisYMm { get; init; } = 70;

    /// <summary>The lungs exist for z in [LungZMinMm, LungZMaxMm]; elsewhere the cylinder is plain water.</summary>
    public double LungZMinMm { get; init; } = double.NegativeInfinity;

    public double LungZMaxMm { get; init; } = double.PositiveInfinity;

    /// <summary>The couch: a slab across x in [-CouchHalfWidthMm, CouchHalfWidthMm], y in [CouchTopMm, CouchTopMm + CouchThicknessMm].</summary>
    public double CouchTopMm { get; init; } = 170;

    public double CouchThicknessMm { get; init; } = 20;

    public double CouchHalfWidthMm { get; init; } = 220;

    /// <summary>The Hounsfield value at a point.</summary>
    public short HounsfieldAt(double x, double y, double z)
    {
        if (y >= CouchTopMm && y <= CouchTopMm + CouchThicknessMm && Math.Abs(x) <= CouchHalfWidthMm)
        {
            return CouchHu;
        }

        if ((x * x) + (y * y) > WaterRadiusMm * WaterRadiusMm)
        {
            return AirHu;
        }

        if (z >= LungZMinMm && z <= LungZMaxMm && (InLung(x + LungCentreXMm, y) || InLung(x - LungCentreXMm, y)))
        {
            return LungHu;
        }

        return WaterHu;
    }

    private bool InLung(double dx, double y)
    {
        var u = dx / LungSemiAxisXMm;
        var v = (y - LungCentreYMm) / LungSemiAxisYMm;
        return (u * u) + (v * v) <= 1;
    }
}
