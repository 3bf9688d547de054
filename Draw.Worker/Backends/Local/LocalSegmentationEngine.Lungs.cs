using Draw.Dicom.Imaging;
using Draw.Dicom.Rt;

namespace Draw.Worker.Backends.Local;

/// <summary>The lungs: low density inside the body, airways removed, split by patient side.</summary>
public sealed partial class LocalSegmentationEngine
{
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
}
