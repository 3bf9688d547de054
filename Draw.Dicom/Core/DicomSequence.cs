namespace Draw.Dicom.Core;

/// <summary>An SQ element: an ordered list of item datasets (PS3.5 7.5).</summary>
public sealed class DicomSequence : DicomElement
{
    private readonly List<DicomDataset> _items = [];

    public DicomSequence(DicomTag tag)
        : base(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty)
    {
    }

    public DicomSequence(DicomTag tag, params IEnumerable<DicomDataset> items)
        : this(tag)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Add(item);
        }
    }

    public IReadOnlyList<DicomDataset> Items => _items;

    /// <summary>The dataset holding this sequence; items inherit its Specific Character Set.</summary>
    public DicomDataset? Owner { get; internal set; }

    /// <summary>Whether the sequence was (or will be) encoded with undefined length and a delimiter.
    /// Kept from the input so a round trip reproduces the same bytes.</summary>
    public bool UndefinedLength { get; set; } = true;

    public override long Length => _items.Count;

    public override bool IsEmpty => _items.Count == 0;

    public void Add(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.ParentSequence = this;
        _items.Add(item);
    }

    public void RemoveAt(int index) => _items.RemoveAt(index);

    public override string ToString() => $"{Tag} SQ {_items.Count} item(s)";
}
