using System.Runtime.CompilerServices;
using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>
/// Parses a dataset body (PS3.5 7) in one transfer syntax from a <see cref="DicomInput"/>: element headers,
/// sequences and items of defined or undefined length, encapsulated pixel data, and UN per PS3.5 6.2.2.
/// Every loop consumes input and every length is checked against what is left, so it cannot hang or
/// allocate more than the input holds.
/// </summary>
internal sealed partial class DicomDatasetReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimiterTag = 0xFFFEE00D;
    private const uint SequenceDelimiterTag = 0xFFFEE0DD;

    private readonly DicomInput _input;
    private readonly DicomReadOptions _options;
    private readonly ValueArena _arena;
    private bool _explicitVR;
    private bool _bigEndian;
    private int _depth;
    private uint _currentTag;
    private int _keptCursor;

    /// <param name="valueBytesHint">Expected size of the values read (default: what is left of the input, or 8 KB).</param>
    public DicomDatasetReader(DicomInput input, DicomReadOptions options, bool explicitVR, bool bigEndian, long? valueBytesHint = null)
    {
        _input = input;
        _options = options;
        _explicitVR = explicitVR;
        _bigEndian = bigEndian;
        // A header's values fill a KB or two (the few kept ones, less); the whole file's size would only make the first
        // chunk bigger to clear.
        var headerHint = options.KeptTags is null ? 2048 : 1024;
        _arena = new ValueArena(valueBytesHint ?? (!input.KnowsLength ? 8192 : options.StopBeforePixelData ? Math.Min(input.Remaining, headerHint) : input.Remaining));
    }

    /// <summary>Reads the top-level dataset until the end of input (or the pixel data in header-only mode).</summary>
    public void ReadTopLevel(DicomDataset dataset)
    {
        try
        {
            ReadElements(dataset, -1, undefinedItem: false, topLevel: true);
        }
        catch (IOException ex) when (ex is not EndOfStreamException)
        {
            throw Error("cannot read the input: " + ex.GetType().Name, ex);
        }
        catch (InvalidDataException ex)
        {
            // Corrupt deflate data.
            throw Error("the deflated data is corrupt", ex);
        }
    }

    /// <summary>Reads the elements that follow as long as they belong to <paramref name="group"/> (the meta group).</summary>
    public void ReadGroup(DicomDataset dataset, ushort group)
    {
        while (_input.TryEnsure(4))
        {
            var tag = ReadTagAt(_input.Peek(4));
            if (tag >> 16 != group)
            {
                return;
            }

            _currentTag = tag;
            if (!dataset.AppendRead(ReadElement(dataset, tag)))
            {
                Warn($"element {new DicomTag(tag)} appears twice in the meta group; the second one is ignored");
            }
        }
    }

    /// <summary>Reads elements until <paramref name="end"/> (absolute offset; -1 = end of input or item delimiter).</summary>
    private void ReadElements(DicomDataset dataset, long end, bool undefinedItem, bool topLevel)
    {
        while (true)
        {
            if (end >= 0 && _input.Position >= end)
            {
                if (_input.Position > end)
                {
                    throw Error("an element runs past the end of its item");
                }

                return;
            }

            if (!_input.TryEnsure(4))
            {
                if (_input.AtEnd && end < 0)
                {
                    if (undefinedItem)
                    {
                        // dcmtk accepts a file that ends, at an element boundary, inside undefined-length items.
                        Warn("input ends inside an undefined-length item (no delimiter)");
                    }

                    return;
                }

                throw Error(undefinedItem ? "input ends inside an item (no item delimiter)" : "input ends inside an element header");
            }

            var tag = ReadTagAt(_input.Peek(4));
            if (topLevel && _options.StopBeforePixelData && tag is 0x7FE00010 or 0x7FE00008 or 0x7FE00009)
            {
                dataset.StoppedAtOffset = _input.Position;
                return;
            }

            _currentTag = tag;
            if (tag == ItemDelimiterTag)
            {
                ReadItemHeader(out _, out _);
                if (undefinedItem)
                {
                    return;
                }

                // A stray item delimiter where none is expected: skip it (dcmtk does the same).
                continue;
            }

            if (tag == SequenceDelimiterTag)
            {
                ReadItemHeader(out _, out _);
                if (undefinedItem || end >= 0)
                {
                    throw Error("sequence delimiter inside an item");
                }

                // A stray sequence delimiter at top level (e.g. after a zero-length private SQ): ignore it.
                continue;
            }

            if (tag == ItemTag)
            {
                throw Error("item tag outside a sequence");
            }

            if (topLevel && _options.KeptTags is { } kept && !IsKept(kept, tag))
            {
                if (!TrySkipElement())
                {
                    // Its end is found by parsing it; what is parsed is then dropped.
                    ReadElement(dataset, tag);
                }

                continue;
            }

            var element = ReadElement(dataset, tag);
            if (!dataset.AppendRead(element))
            {
                Warn($"element {element.Tag} appears twice in one dataset; the second one is ignored");
            }
        }
    }

    /// <summary>
    /// Whether a top-level tag is one the options keep. Top-level tags come in ascending order, so a cursor over the
    /// sorted list moves forward and each answer costs a step or two; a tag out of order sends it back to the start.
    /// </summary>
    private bool IsKept(uint[] kept, uint tag)
    {
        var i = _keptCursor;
        if (i > 0 && kept[i - 1] >= tag)
        {
            i = 0;
        }

        while (i < kept.Length && kept[i] < tag)
        {
            i++;
        }

        _keptCursor = i;
        return i < kept.Length && kept[i] == tag;
    }

    private DicomElement ReadElement(DicomDataset dataset, uint tagValue)
    {
        var tag = new DicomTag(tagValue);
        if (!TryPeekHeader(out var headerLength, out var length, out var writtenVR))
        {
            throw Error("input ends inside an element header");
        }

        _input.Advance(headerLength);
        // Without a valid written VR (implicit VR, or a writer's stray bytes where explicit VR needs one; PS3.5 does
        // not allow the latter) the element is read as implicit VR little endian would, as dcmtk's "-vr" recovery does.
        var explicitVrHere = writtenVR is not null;
        var vr = writtenVR ?? ImplicitVR(dataset, tag);

        if (vr == DicomVR.SQ)
        {
            return ReadSequence(tag, length, itemsImplicit: !explicitVrHere);
        }

        if (length == UndefinedLength)
        {
            if (vr == DicomVR.UN || (!explicitVrHere && !DicomDictionary.IsKnown(tag)))
            {
                // PS3.5 6.2.2: UN of undefined length is a sequence encoded in implicit VR little endian.
                return ReadSequence(tag, length, itemsImplicit: true);
            }

            if (vr is DicomVR.OB or DicomVR.OW)
            {
                // PS3.5 A.4: encapsulated pixel data is OB, whatever VR the writer put in the header.
                return ReadFragments(tag, DicomVR.OB);
            }

            throw Error($"undefined length is not allowed for VR {vr.Code()}");
        }

        if (length > _input.Remaining)
        {
            throw Error($"value length {length} is larger than the {_input.Remaining} bytes left");
        }

        if (IsBulk(tag, vr, length))
        {
            var offset = _input.Position;
            if (!_input.TrySkip(length))
            {
                throw Error("input ends inside a value");
            }

            return new DicomElement(tag, vr, DicomBulkData.FromFile(_input.FilePath!, offset, length, _bigEndian ? SwapUnit(vr) : 0));
        }

        return new DicomElement(tag, vr, ReadValue(length, vr));
    }

    /// <summary>
    /// Passes over the element at the input's position without reading its value. False, with nothing consumed,
    /// when its end can only be found by parsing it (undefined length), when its header is not a valid explicit
    /// one, or when its length runs past the input: <see cref="ReadElement"/> then reads it, with its own
    /// recovery and error reporting.
    /// </summary>
    private bool TrySkipElement()
    {
        if (!TryPeekHeader(out var headerLength, out var length, out var writtenVR) || (_explicitVR && writtenVR is null))
        {
            return false;
        }

        if (length == UndefinedLength || length > _input.Remaining - headerLength)
        {
            return false;
        }

        _input.Advance(headerLength);
        if (!_input.TrySkip(length))
        {
            throw Error("input ends inside a value");
        }

        return true;
    }

    /// <summary>
    /// The element header at the input's position, not consumed: its length in bytes, the value length it states,
    /// and the VR written in it (null in implicit VR, or where explicit VR has no valid VR). False when the input
    /// ends inside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryPeekHeader(out int headerLength, out uint length, out DicomVR? writtenVR)
    {
        headerLength = 8;
        length = 0;
        writtenVR = null;
        if (!_input.TryEnsure(8))
        {
            return false;
        }

        var header = _input.Peek(8);
        if (_explicitVR && DicomVRInfo.TryParse(header[4], header[5], out var vr))
        {
            writtenVR = vr;
            if (!vr.HasLongExplicitLength())
            {
                length = ReadUInt16(header[6..]);
                return true;
            }

            if (!_input.TryEnsure(12))
            {
                return false;
            }

            headerLength = 12;
            length = ReadUInt32(_input.Peek(12)[8..]);
            return true;
        }

        length = ReadUInt32(header[4..]);
        return true;
    }

    /// <summary>Problems the reader tolerated (like dcmtk does); they never contain element values.</summary>
    public List<string> Warnings { get; } = [];

    private void Warn(string problem) => Warnings.Add($"offset {_input.Position}: {problem}");

    private DicomFormatException Error(string problem, Exception? inner = null) =>
        new(_input.SourceName, _input.Position, _currentTag == 0 ? null : new DicomTag(_currentTag), problem, inner);
}
