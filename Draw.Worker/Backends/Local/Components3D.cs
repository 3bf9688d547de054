using Draw.Dicom.Rt;

namespace Draw.Worker.Backends.Local;

/// <summary>
/// Connected components of a volume mask without a voxel-sized label volume: each slice is labelled in 2D
/// (8-connected), and 2D components that overlap on neighbouring slices are joined with a union-find.
/// </summary>
internal sealed class Components3D
{
    private readonly List<int> _parent = [];
    private readonly List<long> _size = [];
    private readonly int[] _offsets;

    private Components3D(int slices)
    {
        _offsets = new int[slices + 1];
    }

    public static Components3D Compute(VolumeMask mask, SliceScratch s)
    {
        var result = new Components3D(mask.Slices);
        var previous = new int[mask.VoxelsPerSlice];
        var hasPrevious = false;
        for (var k = 0; k < mask.Slices; k++)
        {
            var offset = result._parent.Count;
            result._offsets[k] = offset;
            var n = MaskOperations.Label(mask.Slice(k), s);
            for (var l = 1; l <= n; l++)
            {
                result._parent.Add(offset + l - 1);
                result._size.Add(s.Areas[l]);
            }

            var labels = s.Labels;
            if (hasPrevious && n > 0)
            {
                var prevOffset = result._offsets[k - 1];
                for (var i = 0; i < labels.Length; i++)
                {
                    if (labels[i] != 0 && previous[i] != 0)
                    {
                        result.Union(offset + labels[i] - 1, prevOffset + previous[i] - 1);
                    }
                }
            }

            Array.Copy(labels, previous, labels.Length);
            hasPrevious = n > 0;
        }

        result._offsets[mask.Slices] = result._parent.Count;
        return result;
    }

    /// <summary>Roots of the components, largest first, with their sizes in voxels.</summary>
    public List<(int Root, long Size)> BySize()
    {
        var list = new List<(int, long)>();
        for (var i = 0; i < _parent.Count; i++)
        {
            if (_parent[i] == i)
            {
                list.Add((i, _size[i]));
            }
        }

        list.Sort((a, b) => b.Item2.CompareTo(a.Item2));
        return list;
    }

    /// <summary>Writes the voxels of each root's component into the matching destination mask.</summary>
    public void Extract(VolumeMask source, IReadOnlyList<int> roots, IReadOnlyList<VolumeMask> destinations, SliceScratch s)
    {
        var lookup = new Dictionary<int, int>();
        for (var i = 0; i < roots.Count; i++)
        {
            lookup[roots[i]] = i;
        }

        var map = new List<int>();
        for (var k = 0; k < source.Slices; k++)
        {
            var src = source.Slice(k);
            var n = MaskOperations.Label(src, s);
            if (n == 0)
            {
                continue;
            }

            map.Clear();
            map.Add(-1);
            for (var l = 1; l <= n; l++)
            {
                map.Add(lookup.TryGetValue(Find(_offsets[k] + l - 1), out var d) ? d : -1);
            }

            var labels = s.Labels;
            for (var i = 0; i < labels.Length; i++)
            {
                var d = map[labels[i]];
                if (d >= 0)
                {
                    destinations[d].Data[(k * source.VoxelsPerSlice) + i] = 1;
                }
            }
        }
    }

    private int Find(int i)
    {
        while (_parent[i] != i)
        {
            _parent[i] = _parent[_parent[i]];
            i = _parent[i];
        }

        return i;
    }

    private void Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a == b)
        {
            return;
        }

        if (_size[a] < _size[b])
        {
            (a, b) = (b, a);
        }

        _parent[b] = a;
        _size[a] += _size[b];
    }
}
