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
public sealed class LocalSegmentationEngine
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

    /// <summary>Lungs from a CT volume and its body mask.</summary>
    public (VolumeMask Left, VolumeMask Right) SegmentLungs(ImageVolume volume, VolumeMask body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(body);
        var g = volume.Geometry;
        var s = new SliceScratch(volume.Columns, volume.Rows);
        var candidate = new VolumeMask(g);
        var threshold = Options.LungThresholdHu;
        for (var k = 0; k < volume.Slices; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hu = volume.Slice(k);
            var b = body.Slice(k);
            var c = candidate.Slice(k);
            for (var i = 0; i < c.Length; i++)
            {
                c[i] = b[i] != 0 && hu[i] < threshold ? (byte)1 : (byte)0;
            }
        }

        RemoveAirways(candidate, g, s);

        var components = Components3D.Compute(candidate, s);
        var sizes = components.BySize();
        var left = new VolumeMask(g);
        var right = new VolumeMask(g);
        if (sizes.Count == 0)
        {
            return (left, right);
        }

        if (sizes.Count >= 2 && sizes[1].Size >= Options.SecondLungFraction * sizes[0].Size)
        {
            var a = new VolumeMask(g);
            var b = new VolumeMask(g);
            components.Extract(candidate, [sizes[0].Root, sizes[1].Root], [a, b], s);

            // DICOM patient x grows towards the patient's left.
            if (CentroidX(a, g) > CentroidX(b, g))
            {
                (left, right) = (a, b);
            }
            else
            {
                (left, right) = (b, a);
            }
        }
        else
        {
            var both = new VolumeMask(g);
            components.Extract(candidate, [sizes[0].Root], [both], s);
            SplitBySide(both, body, g, left, right, s);
        }

        for (var k = 0; k < volume.Slices; k++)
        {
            MaskOperations.FillHoles(left.Slice(k), s);
            MaskOperations.FillHoles(right.Slice(k), s);
        }

        return (left, right);
    }

    private static void BodyFromThreshold(byte[] raw, Span<byte> output, SliceScratch s, int radius, int minimumPixels, int closeRadius = 0)
    {
        raw.CopyTo(output);
        if (closeRadius > 0)
        {
            MaskOperations.Dilate(output, closeRadius, s);
            MaskOperations.Erode(output, closeRadius, s);
        }

        MaskOperations.Erode(output, radius, s);
        MaskOperations.Dilate(output, radius, s);
        if (MaskOperations.KeepLargest(output, s) < minimumPixels)
        {
            output.Clear();
            return;
        }

        // Give back the detail the opening rounded off, but only next to the kept component.
        MaskOperations.Dilate(output, radius + closeRadius, s);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] &= raw[i];
        }

        if (closeRadius > 0)
        {
            MaskOperations.Dilate(output, closeRadius, s);
            MaskOperations.Erode(output, closeRadius, s);
        }

        MaskOperations.KeepLargest(output, s);
        MaskOperations.FillHoles(output, s);
    }

    /// <summary>
    /// The trachea is the air component near the middle of the topmost slices; it is followed down slice by slice while
    /// the component overlapping it stays small (trachea, then the two main bronchi) and removed from the candidates.
    /// Where a bronchus joins the lung the component becomes large and tracking stops.
    /// </summary>
    private void RemoveAirways(VolumeMask candidate, VolumeGeometry g, SliceScratch s)
    {
        var maxArea = (int)(Options.MaximumAirwayAreaMm2 / (g.RowSpacing * g.ColumnSpacing));
        var w = g.Columns;
        var airway = new byte[g.VoxelsPerSlice];
        var previous = new byte[g.VoxelsPerSlice];
        var tracking = false;
        for (var k = g.Slices - 1; k >= 0; k--)
        {
            var c = candidate.Slice(k);
            var n = MaskOperations.Label(c, s);
            Array.Clear(airway);
            var found = false;
            if (n == 0)
            {
                if (tracking)
                {
                    break;
                }

                continue;
            }

            var labels = s.Labels;
            if (!tracking)
            {
                // Start on the topmost slice with candidates: small components whose centre lies in the middle third.
                var sumX = new long[n + 1];
                for (var i = 0; i < labels.Length; i++)
                {
                    sumX[labels[i]] += i % w;
                }

                for (var l = 1; l <= n; l++)
                {
                    var area = s.Areas[l];
                    var cx = (double)sumX[l] / area;
                    if (area <= maxArea && area * g.RowSpacing * g.ColumnSpacing >= 20 && cx > w / 3.0 && cx < 2 * w / 3.0)
                    {
                        Mark(labels, l, airway);
                        found = true;
                    }
                }

                if (!found)
                {
                    // The lungs start before any trachea was seen: nothing to track.
                    return;
                }

                tracking = true;
            }
            else
            {
                var overlap = new bool[n + 1];
                for (var i = 0; i < labels.Length; i++)
                {
                    if (labels[i] != 0 && previous[i] != 0)
                    {
                        overlap[labels[i]] = true;
                    }
                }

                for (var l = 1; l <= n; l++)
                {
                    if (overlap[l] && s.Areas[l] <= maxArea)
                    {
                        Mark(labels, l, airway);
                        found = true;
                    }
                }

                if (!found)
                {
                    break;
                }
            }

            for (var i = 0; i < c.Length; i++)
            {
                if (airway[i] != 0)
                {
                    c[i] = 0;
                }
            }

            (previous, airway) = (airway, previous);
        }
    }

    private static void Mark(int[] labels, int label, byte[] output)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == label)
            {
                output[i] = 1;
            }
        }
    }

    /// <summary>One component holding both lungs: per slice, cut at the emptiest column near the body's middle.</summary>
    private static void SplitBySide(VolumeMask both, VolumeMask body, VolumeGeometry g, VolumeMask left, VolumeMask right, SliceScratch s)
    {
        int w = g.Columns, h = g.Rows;
        var counts = new int[w];
        var leftIsHighColumn = g.RowDirection.X > 0;
        for (var k = 0; k < g.Slices; k++)
        {
            var m = both.Slice(k);
            var b = body.Slice(k);
            Array.Clear(counts);
            long bodySum = 0, bodyCount = 0;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var i = (y * w) + x;
                    counts[x] += m[i];
                    if (b[i] != 0)
                    {
                        bodySum += x;
                        bodyCount++;
                    }
                }
            }

            if (bodyCount == 0)
            {
                continue;
            }

            var mid = (int)(bodySum / bodyCount);
            var span = (int)(40 / g.ColumnSpacing);
            var cut = mid;
            for (var x = Math.Max(0, mid - span); x < Math.Min(w, mid + span); x++)
            {
                if (counts[x] < counts[cut])
                {
                    cut = x;
                }
            }

            var l = left.Slice(k);
            var r = right.Slice(k);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var i = (y * w) + x;
                    if (m[i] == 0 || x == cut)
                    {
                        continue;
                    }

                    if ((x > cut) == leftIsHighColumn)
                    {
                        l[i] = 1;
                    }
                    else
                    {
                        r[i] = 1;
                    }
                }
            }
        }

        _ = s;
    }

    private static double CentroidX(VolumeMask mask, VolumeGeometry g)
    {
        double sum = 0;
        long count = 0;
        for (var k = 0; k < mask.Slices; k++)
        {
            var m = mask.Slice(k);
            for (var i = 0; i < m.Length; i++)
            {
                if (m[i] != 0)
                {
                    var r = i / g.Columns;
                    sum += g.PixelToPatient(i - (r * g.Columns), r, k).X;
                    count++;
                }
            }
        }

        return count == 0 ? 0 : sum / count;
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
