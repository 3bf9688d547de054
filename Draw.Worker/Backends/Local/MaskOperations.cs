namespace Draw.Worker.Backends.Local;

/// <summary>
/// Binary mask operations on single slices (one byte per pixel, 0 or 1) with caller-provided scratch buffers, so a
/// slice costs no allocation. Connectivity: foreground components are 8-connected, background is 4-connected
/// (so the two never cross each other).
/// </summary>
internal sealed class SliceScratch
{
    public SliceScratch(int columns, int rows)
    {
        Columns = columns;
        Rows = rows;
        Labels = new int[columns * rows];
        Queue = new int[columns * rows];
        Bytes = new byte[columns * rows];
        Bytes2 = new byte[columns * rows];
        Prefix = new int[Math.Max(columns, rows) + 1];
    }

    public int Columns { get; }

    public int Rows { get; }

    public int[] Labels { get; }

    public int[] Queue { get; }

    public byte[] Bytes { get; }

    public byte[] Bytes2 { get; }

    public int[] Prefix { get; }

    public List<int> Areas { get; } = [];
}

internal static class MaskOperations
{
    /// <summary>Labels 8-connected foreground components: labels 1..n in <paramref name="s"/>.Labels, areas in s.Areas[label].</summary>
    public static int Label(ReadOnlySpan<byte> mask, SliceScratch s)
    {
        int w = s.Columns, h = s.Rows;
        var labels = s.Labels;
        var queue = s.Queue;
        Array.Clear(labels);
        s.Areas.Clear();
        s.Areas.Add(0);
        var n = 0;
        for (var start = 0; start < mask.Length; start++)
        {
            if (mask[start] == 0 || labels[start] != 0)
            {
                continue;
            }

            n++;
            var head = 0;
            var tail = 0;
            queue[tail++] = start;
            labels[start] = n;
            while (head < tail)
            {
                var i = queue[head++];
                var y = i / w;
                var x = i - (y * w);
                var y0 = y > 0 ? y - 1 : 0;
                var y1 = y < h - 1 ? y + 1 : y;
                var x0 = x > 0 ? x - 1 : 0;
                var x1 = x < w - 1 ? x + 1 : x;
                for (var yy = y0; yy <= y1; yy++)
                {
                    var row = yy * w;
                    for (var xx = x0; xx <= x1; xx++)
                    {
                        var j = row + xx;
                        if (mask[j] != 0 && labels[j] == 0)
                        {
                            labels[j] = n;
                            queue[tail++] = j;
                        }
                    }
                }
            }

            s.Areas.Add(tail);
        }

        return n;
    }

    /// <summary>Keeps only the largest component; returns its area (0 when the slice is empty).</summary>
    public static int KeepLargest(Span<byte> mask, SliceScratch s)
    {
        var n = Label(mask, s);
        if (n == 0)
        {
            return 0;
        }

        var best = 1;
        for (var l = 2; l <= n; l++)
        {
            if (s.Areas[l] > s.Areas[best])
            {
                best = l;
            }
        }

        var labels = s.Labels;
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = labels[i] == best ? (byte)1 : (byte)0;
        }

        return s.Areas[best];
    }

    /// <summary>Sets every background pixel that the image border cannot reach (4-connected) to foreground.</summary>
    public static void FillHoles(Span<byte> mask, SliceScratch s)
    {
        int w = s.Columns, h = s.Rows;
        var outside = s.Bytes2;
        var queue = s.Queue;
        Array.Clear(outside);
        var tail = 0;
        for (var x = 0; x < w; x++)
        {
            Seed(mask, outside, queue, ref tail, x);
            Seed(mask, outside, queue, ref tail, ((h - 1) * w) + x);
        }

        for (var y = 0; y < h; y++)
        {
            Seed(mask, outside, queue, ref tail, y * w);
            Seed(mask, outside, queue, ref tail, (y * w) + w - 1);
        }

        var head = 0;
        while (head < tail)
        {
            var i = queue[head++];
            var y = i / w;
            var x = i - (y * w);
            if (x > 0)
            {
                Seed(mask, outside, queue, ref tail, i - 1);
            }

            if (x < w - 1)
            {
                Seed(mask, outside, queue, ref tail, i + 1);
            }

            if (y > 0)
            {
                Seed(mask, outside, queue, ref tail, i - w);
            }

            if (y < h - 1)
            {
                Seed(mask, outside, queue, ref tail, i + w);
            }
        }

        for (var i = 0; i < mask.Length; i++)
        {
            if (outside[i] == 0)
            {
                mask[i] = 1;
            }
        }
    }

    private static void Seed(Span<byte> mask, byte[] outside, int[] queue, ref int tail, int i)
    {
        if (mask[i] == 0 && outside[i] == 0)
        {
            outside[i] = 1;
            queue[tail++] = i;
        }
    }

    /// <summary>Erosion by a (2r+1)² square; pixels beyond the border count as background.</summary>
    public static void Erode(Span<byte> mask, int radius, SliceScratch s) => Morph(mask, radius, s, erode: true);

    /// <summary>Dilation by a (2r+1)² square.</summary>
    public static void Dilate(Span<byte> mask, int radius, SliceScratch s) => Morph(mask, radius, s, erode: false);

    private static void Morph(Span<byte> mask, int radius, SliceScratch s, bool erode)
    {
        if (radius <= 0)
        {
            return;
        }

        int w = s.Columns, h = s.Rows;
        var tmp = s.Bytes;
        var prefix = s.Prefix;
        var full = (2 * radius) + 1;

        // Rows into tmp.
        for (var y = 0; y < h; y++)
        {
            var row = mask.Slice(y * w, w);
            prefix[0] = 0;
            for (var x = 0; x < w; x++)
            {
                prefix[x + 1] = prefix[x] + row[x];
            }

            for (var x = 0; x < w; x++)
            {
                var a = Math.Max(0, x - radius);
                var b = Math.Min(w, x + radius + 1);
                var sum = prefix[b] - prefix[a];
                tmp[(y * w) + x] = erode ? (sum == full ? (byte)1 : (byte)0) : (sum > 0 ? (byte)1 : (byte)0);
            }
        }

        // Columns back into mask.
        for (var x = 0; x < w; x++)
        {
            prefix[0] = 0;
            for (var y = 0; y < h; y++)
            {
                prefix[y + 1] = prefix[y] + tmp[(y * w) + x];
            }

            for (var y = 0; y < h; y++)
            {
                var a = Math.Max(0, y - radius);
                var b = Math.Min(h, y + radius + 1);
                var sum = prefix[b] - prefix[a];
                mask[(y * w) + x] = erode ? (sum == full ? (byte)1 : (byte)0) : (sum > 0 ? (byte)1 : (byte)0);
            }
        }
    }
}
