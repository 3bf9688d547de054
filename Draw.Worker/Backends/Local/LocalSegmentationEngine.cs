using System.Diagnostics;
using Draw.Dicom.Imaging;
using Draw.Dicom.Rt;

namespace Draw.Worker.Backends.Local;

/// <summary>One structure the engine produced: its mask on the volume's grid and how it is shown.</summary>
public sealed record LocalStructure(string Name, VolumeMask Mask, RtColor Color, string InterpretedType);

/// <summary>Thresholds and sizes of the classic pipelines (HU for CT, pixels for radii).</summary>
public sealed record LocalEngineOptions
{
    /// <summary>CT voxels above this are tissue when finding the body.</summary>
    public float BodyThresholdHu { get; init; } = -350;

    /// <summary>CT voxels below this, inside the body, are lung candidates.</summary>
    public float LungThresholdHu { get; init; } = -400;

    /// <summary>Opening radius (pixels) that cuts thin bridges between the body and the couch, clothes or cables.</summary>
    public int BodyOpeningRadius { get; init; } = 3;

    /// <summary>Body components smaller than this (mm²) on a slice are dropped (the slice is then empty).</summary>
    public double MinimumBodyAreaMm2 { get; init; } = 500;

    /// <summary>A second lung component is accepted when at least this fraction of the largest.</summary>
    public double SecondLungFraction { get; init; } = 0.2;

    /// <summary>Airway components at most this area (mm²) per slice are tracked down from the top and removed.</summary>
    public double MaximumAirwayAreaMm2 { get; init; } = 700;
}

/// <summary>
/// The built-in engine: classic image processing, no model. CT: External (threshold, opening against couch and
/// clothes, largest component and filled holes per slice), Lung-Left and Lung-Right (low density inside the body,
/// trachea and main bronchi tracked from the top and removed, the two largest 3D components split by patient side,
/// enclosed holes filled per slice so vessels and tumours inside the lung count). MR: External by an Otsu threshold.
/// Pure computation: a volume in, masks out.
/// </summary>
public sealed partial class LocalSegmentationEngine
{
    public const string External = "External";
    public const string LungLeft = "Lung-Left";
    public const string LungRight = "Lung-Right";

    public LocalSegmentationEngine(LocalEngineOptions? options = null)
    {
        Options = options ?? new LocalEngineOptions();
    }

    public LocalEngineOptions Options { get; }

    /// <summary>The structures this engine makes for a modality ("CT" or "MR").</summary>
    public static IReadOnlyList<string> StructuresFor(string modality) =>
        string.Equals(modality, "CT", StringComparison.OrdinalIgnoreCase) ? [External, LungLeft, LungRight]
        : string.Equals(modality, "MR", StringComparison.OrdinalIgnoreCase) ? [External]
        : [];

    /// <summary>Segments a CT or MR volume; <paramref name="structureNames"/> limits the output (case-insensitive; null = all).</summary>
    public IReadOnlyList<LocalStructure> Segment(ImageVolume volume, IReadOnlyCollection<string>? structureNames = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        bool Wanted(string name) => structureNames is null || structureNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var result = new List<LocalStructure>();
        if (string.Equals(volume.Modality, "CT", StringComparison.OrdinalIgnoreCase))
        {
            var body = SegmentCtBody(volume, cancellationToken);
            if (Wanted(External))
            {
                result.Add(new LocalStructure(External, body, new RtColor(0, 255, 0), "EXTERNAL"));
            }

            if (Wanted(LungLeft) || Wanted(LungRight))
            {
                var (left, right) = SegmentLungs(volume, body, cancellationToken);
                if (Wanted(LungLeft))
                {
                    result.Add(new LocalStructure(LungLeft, left, new RtColor(255, 128, 0), "ORGAN"));
                }

                if (Wanted(LungRight))
                {
                    result.Add(new LocalStructure(LungRight, right, new RtColor(0, 128, 255), "ORGAN"));
                }
            }
        }
        else if (string.Equals(volume.Modality, "MR", StringComparison.OrdinalIgnoreCase))
        {
            if (Wanted(External))
            {
                result.Add(new LocalStructure(External, SegmentMrBody(volume, cancellationToken), new RtColor(0, 255, 0), "EXTERNAL"));
            }
        }
        else
        {
            throw new NotSupportedException($"the local engine segments CT and MR, not {volume.Modality}");
        }

        return result;
    }

    /// <summary>CT body: per slice, HU above the threshold, opened, largest component, restored to the threshold edge, holes filled.</summary>
    public VolumeMask SegmentCtBody(ImageVolume volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var mask = new VolumeMask(volume.Geometry);
        var s = new SliceScratch(volume.Columns, volume.Rows);
        var threshold = Options.BodyThresholdHu;
        var minimumPixels = (int)(Options.MinimumBodyAreaMm2 / (volume.Geometry.RowSpacing * volume.Geometry.ColumnSpacing));
        var raw = new byte[volume.Geometry.VoxelsPerSlice];
        for (var k = 0; k < volume.Slices; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hu = volume.Slice(k);
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] = hu[i] > threshold ? (byte)1 : (byte)0;
            }

            BodyFromThreshold(raw, mask.Slice(k), s, Options.BodyOpeningRadius, minimumPixels);
        }

        return mask;
    }

    /// <summary>MR body: one Otsu threshold for the volume, then the CT body steps per slice.</summary>
    public VolumeMask SegmentMrBody(ImageVolume volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var threshold = OtsuThreshold(volume.Voxels);
        var mask = new VolumeMask(volume.Geometry);
        var s = new SliceScratch(volume.Columns, volume.Rows);
        var minimumPixels = (int)(Options.MinimumBodyAreaMm2 / (volume.Geometry.RowSpacing * volume.Geometry.ColumnSpacing));
        var radius = Math.Max(1, (int)Math.Round(2.0 / volume.Geometry.ColumnSpacing));
        var raw = new byte[volume.Geometry.VoxelsPerSlice];
        for (var k = 0; k < volume.Slices; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var v = volume.Slice(k);
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] = v[i] > threshold ? (byte)1 : (byte)0;
            }

            // T2 images leave dark rims (fat suppression, cortical bone) inside the body: close before filling holes.
            BodyFromThreshold(raw, mask.Slice(k), s, radius, minimumPixels, closeRadius: radius * 2);
        }

        return mask;
    }

    /// <summary>
    /// Otsu's threshold computed on log(1 + value − minimum), 256 bins up to the 99.9th percentile. The logarithm keeps
    /// very bright tissue (tumour, fluid on T2) from pulling the threshold between tissues instead of between air and body.
    /// </summary>
    internal static float OtsuThreshold(ReadOnlySpan<float> values)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (!(max > min))
        {
            return max;
        }

        var logMax = Math.Log(1 + max - min);
        const int Fine = 4096;
        var fine = new long[Fine];
        var fineScale = (Fine - 1) / logMax;
        foreach (var v in values)
        {
            fine[(int)(Math.Log(1 + v - min) * fineScale)]++;
        }

        var limit = (long)(values.Length * 0.999);
        long acc = 0;
        var top = Fine - 1;
        for (var i = 0; i < Fine; i++)
        {
            acc += fine[i];
            if (acc >= limit)
            {
                top = i;
                break;
            }
        }

        // Rebin the fine histogram into 256 bins over [0, top].
        const int Bins = 256;
        var hist = new double[Bins];
        for (var i = 0; i < Fine; i++)
        {
            hist[Math.Min(Bins - 1, i * Bins / (top + 1))] += fine[i];
        }

        double total = values.Length, sumAll = 0;
        for (var i = 0; i < Bins; i++)
        {
            sumAll += i * hist[i];
        }

        double weightB = 0, sumB = 0, best = -1;
        var bestBin = 0;
        for (var t = 0; t < Bins - 1; t++)
        {
            weightB += hist[t];
            if (weightB == 0)
            {
                continue;
            }

            var weightF = total - weightB;
            if (weightF == 0)
            {
                break;
            }

            sumB += t * hist[t];
            var meanB = sumB / weightB;
            var meanF = (sumAll - sumB) / weightF;
            var between = weightB * weightF * (meanB - meanF) * (meanB - meanF);
            if (between > best)
            {
                best = between;
                bestBin = t;
            }
        }

        var fineBin = (bestBin + 1) * (top + 1) / (double)Bins;
        return (float)(Math.Exp(fineBin / fineScale) - 1 + min);
    }

    internal static double Milliseconds(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
