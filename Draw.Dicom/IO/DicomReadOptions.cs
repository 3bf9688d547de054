using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>How much of a file to read and what to leave on disk.</summary>
public sealed record DicomReadOptions
{
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Header-only mode: stop before the top-level pixel data element (7FE0,0008/0009/0010).</summary>
    public static DicomReadOptions HeaderOnly { get; } = new() { StopBeforePixelData = true };

    public bool StopBeforePixelData { get; init; }

    /// <summary>OB/OW/OD/OF/OL/OV/UN values and fragments at least this long stay in the file and are read lazily
    /// (only when reading a seekable file). Pixel data always does when it is at least 1 KB.</summary>
    public int BulkDataThreshold { get; init; } = 16 * 1024;

    /// <summary>Sequences nested deeper than this are rejected (protects the stack from hostile input).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// When set, only these top-level elements (and the Specific Character Set their text needs) are kept; the
    /// others are passed over by their lengths, unread, so a reader that wants a few fields of many files pays
    /// for neither the other values nor their elements. A sequence or value of undefined length is still parsed
    /// to find its end. Private elements are kept only when listed with their creator.
    /// </summary>
    public IReadOnlyCollection<DicomTag>? OnlyTags
    {
        get => _onlyTags;
        init
        {
            _onlyTags = value;
            KeptTags = value is null ? null : [.. value.Select(t => t.Value).Append(SpecificCharacterSet).Distinct().Order()];
        }
    }

    /// <summary><see cref="OnlyTags"/> as sorted tag values, for a binary search per element.</summary>
    internal uint[]? KeptTags { get; private init; }

    private const uint SpecificCharacterSet = 0x00080005;

    private readonly IReadOnlyCollection<DicomTag>? _onlyTags;
}
