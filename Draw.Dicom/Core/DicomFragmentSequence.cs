namespace Draw.Dicom.Core;

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): a Basic Offset Table item followed by fragments, kept exactly as
/// read so writing with the same transfer syntax reproduces them. Fragments are usually file ranges.
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    private readonly List<DicomBulkData> _fragments = [];

    public DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomBulkData offsetTable)
        : base(tag, vr, ReadOnlyMemory<byte>.Empty)
    {
        OffsetTable = offsetTable;
    }

    /// <summary>The first item: the Basic Offset Table (often empty).</summary>
    public DicomBulkData OffsetTable { get; }

    public IReadOnlyList<DicomBulkData> Fragments => _fragments;

    public void AddFragment(DicomBulkData fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        _fragments.Add(fragment);
    }

    /// <summary>Number of fragments plus the offset table.</summary>
    public override long Length => _fragments.Count + 1;

    public override bool IsEmpty => false;

    public override string ToString() => $"{Tag} {VR.Code()} encapsulated, {_fragments.Count} fragment(s)";
}
