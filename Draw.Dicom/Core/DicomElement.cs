namespace Draw.Dicom.Core;

/// <summary>
/// One data element. Values are kept as their encoded bytes (always little endian, text still in the
/// dataset's character set) and decoded only when asked, so parsing a header costs no string allocations.
/// Large values can instead be a <see cref="DicomBulkData"/> file range.
/// </summary>
public class DicomElement
{
    private ReadOnlyMemory<byte> _value;

    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        Tag = tag;
        VR = vr;
        _value = value;
    }

    public DicomElement(DicomTag tag, DicomVR vr, DicomBulkData bulkData)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        Tag = tag;
        VR = vr;
        BulkData = bulkData;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    /// <summary>Set when the value is held as a (possibly lazy) bulk data reference.</summary>
    public DicomBulkData? BulkData { get; private set; }

    /// <summary>Value length in bytes as encoded (before padding to even length on write).</summary>
    public virtual long Length => BulkData?.Length ?? _value.Length;

    /// <summary>True when the value is empty (zero length, no items).</summary>
    public virtual bool IsEmpty => Length == 0;

    /// <summary>The value bytes (little endian). Bulk data is read from its file on each call; see <see cref="LoadBulkData"/>.</summary>
    public ReadOnlyMemory<byte> GetBytes()
    {
        if (BulkData is { } bulk)
        {
            return bulk.Load();
        }

        return _value;
    }

    /// <summary>The in-memory value bytes without touching bulk data (empty for bulk values).</summary>
    internal ReadOnlyMemory<byte> RawValue => _value;

    /// <summary>Reads the bulk data into memory so the element no longer depends on its source file.</summary>
    public void LoadBulkData()
    {
        if (BulkData is { IsInFile: true } bulk)
        {
            _value = bulk.Load();
            BulkData = null;
        }
    }

    public override string ToString() => $"{Tag} {VR.Code()} #{Length}";
}
