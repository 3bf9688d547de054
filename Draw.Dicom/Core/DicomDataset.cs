using System.Collections;
using Draw.Dicom.Core.Text;

namespace Draw.Dicom.Core;

/// <summary>
/// An ordered set of data elements: a whole dataset, or one item of a sequence. Elements read from a file
/// keep the file's order (so a round trip is byte-identical); elements added through the API go in tag order.
/// Typed getters and setters are in the other parts of this class.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> _elements;
    private bool _sorted = true;
    private DicomCharacterSet? _characterSet;

    public DicomDataset()
    {
        _elements = [];
    }

    internal DicomDataset(int capacity)
    {
        _elements = new List<DicomElement>(capacity);
    }

    public DicomDataset(params IEnumerable<DicomElement> elements)
        : this()
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var e in elements)
        {
            Add(e);
        }
    }

    public int Count => _elements.Count;

    /// <summary>The sequence holding this dataset when it is an item; null for a top-level dataset.</summary>
    public DicomSequence? ParentSequence { get; internal set; }

    /// <summary>The dataset holding <see cref="ParentSequence"/>.</summary>
    public DicomDataset? Parent => ParentSequence?.Owner;

    /// <summary>For items: encoded with undefined length and an item delimiter (kept from the input for round trips).</summary>
    public bool UndefinedLength { get; set; } = true;

    /// <summary>Where the reader stopped when told to stop before the pixel data (header-only mode); -1 otherwise.</summary>
    public long StoppedAtOffset { get; internal set; } = -1;

    public DicomElement? this[DicomTag tag] => Find(tag);

    public DicomElement? Find(DicomTag tag)
    {
        var i = IndexOf(tag);
        return i >= 0 ? _elements[i] : null;
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>Adds an element, replacing one with the same tag.</summary>
    public void Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        Attach(element);
        var i = IndexOf(element.Tag);
        if (i >= 0)
        {
            _elements[i] = element;
        }
        else if (_sorted)
        {
            _elements.Insert(~LowerBound(element.Tag), element);
        }
        else
        {
            _elements.Add(element);
        }

        if (element.Tag.Value == 0x00080005)
        {
            _characterSet = null;
        }
    }

    /// <summary>Reader fast path: appends in file order and remembers whether the order is still ascending.
    /// A second element with the same tag is refused (false), as dcmtk does.</summary>
    internal bool AppendRead(DicomElement element)
    {
        var count = _elements.Count;
        if (count > 0 && _elements[count - 1].Tag.Value >= element.Tag.Value)
        {
            if (IndexOf(element.Tag) >= 0)
            {
                return false;
            }

            _sorted = false;
        }

        Attach(element);
        _elements.Add(element);
        return true;
    }

    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0)
        {
            return false;
        }

        _elements.RemoveAt(i);
        if (tag.Value == 0x00080005)
        {
            _characterSet = null;
        }

        return true;
    }

    /// <summary>Removes every element matching the predicate (e.g. a whole group).</summary>
    public int RemoveAll(Predicate<DicomElement> match) => _elements.RemoveAll(match);

    public void Clear() => _elements.Clear();

    /// <summary>The Specific Character Set in force: this dataset's (0008,0005), else the enclosing dataset's.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null)
            {
                return _characterSet;
            }

            var own = Find(new DicomTag(0x00080005));
            if (own is not null)
            {
                // (0008,0005) is CS: ASCII, never affected by itself.
                var text = System.Text.Encoding.Latin1.GetString(own.GetBytes().Span);
                return _characterSet = DicomCharacterSet.FromValue(text);
            }

            // Inherited sets are not cached: the parent may still change.
            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    public IEnumerator<DicomElement> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Elements in tag order (the stored order when it already is).</summary>
    public IReadOnlyList<DicomElement> Elements => _elements;

    /// <summary>Sorts the elements into ascending tag order (the writer requires this, PS3.5 7.1).</summary>
    public void SortByTag()
    {
        if (!_sorted)
        {
            _elements.Sort(static (a, b) => a.Tag.Value.CompareTo(b.Tag.Value));
            _sorted = true;
        }
    }

    internal bool IsSorted => _sorted;

    /// <summary>Reads every file-backed bulk value into memory, here and in all items.</summary>
    public void LoadBulkData()
    {
        foreach (var e in _elements)
        {
            switch (e)
            {
                case DicomSequence sq:
                    foreach (var item in sq.Items)
                    {
                        item.LoadBulkData();
                    }

                    break;
                case DicomFragmentSequence:
                    break;
                default:
                    e.LoadBulkData();
                    break;
            }
        }
    }

    private void Attach(DicomElement element)
    {
        if (element is DicomSequence sq)
        {
            sq.Owner = this;
        }
    }

    private int IndexOf(DicomTag tag)
    {
        if (_sorted)
        {
            var i = LowerBound(tag);
            return i;
        }

        var v = tag.Value;
        for (var i = 0; i < _elements.Count; i++)
        {
            if (_elements[i].Tag.Value == v)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Binary search over the sorted list: index if found, else the complement of the insertion point.</summary>
    private int LowerBound(DicomTag tag)
    {
        var v = tag.Value;
        int lo = 0, hi = _elements.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var m = _elements[mid].Tag.Value;
            if (m == v)
            {
                return mid;
            }

            if (m < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
