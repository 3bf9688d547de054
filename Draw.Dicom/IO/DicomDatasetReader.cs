using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>
/// Parses a dataset body (PS3.5 7) in one transfer syntax from a <see cref="DicomInput"/>: element headers,
/// sequences and items of defined or undefined length, encapsulated pixel data, and UN per PS3.5 6.2.2.
/// Every loop consumes input and every length is checked against what is left, so it cannot hang or
/// allocate more than the input holds.
/// </summary>
internal sealed class DicomDatasetReader
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

            if (topLevel && _options.KeptTags is { } kept && Array.BinarySearch(kept, tag) < 0)
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

    private DicomSequence ReadSequence(DicomTag tag, uint length, bool itemsImplicit)
    {
        if (++_depth > _options.MaxDepth)
        {
            throw Error($"sequences nested deeper than {_options.MaxDepth}");
        }

        var savedExplicit = _explicitVR;
        var savedBigEndian = _bigEndian;
        if (itemsImplicit && _explicitVR)
        {
            _explicitVR = false;
            _bigEndian = false;
        }

        var sequence = new DicomSequence(tag) { UndefinedLength = length == UndefinedLength };
        var end = length == UndefinedLength ? -1 : _input.Position + length;
        if (end >= 0 && length > _input.Remaining)
        {
            Warn($"sequence length {length} of {tag} runs past the end of the input");
            end = _input.Position + _input.Remaining;
        }

        while (true)
        {
            _currentTag = tag.Value;
            if (end >= 0 && _input.Position >= end)
            {
                if (_input.Position > end)
                {
                    throw Error("an item runs past the end of its sequence");
                }

                break;
            }

            if (end < 0 && _input.AtEnd)
            {
                Warn($"input ends inside sequence {tag} (no sequence delimiter)");
                break;
            }

            ReadItemHeader(out var itemTag, out var itemLength);
            if (itemTag == SequenceDelimiterTag)
            {
                if (end < 0)
                {
                    break;
                }

                throw Error("sequence delimiter in a sequence of defined length");
            }

            if (itemTag != ItemTag)
            {
                throw Error($"expected an item in the sequence, found {new DicomTag(itemTag)}");
            }

            var item = new DicomDataset(8) { UndefinedLength = itemLength == UndefinedLength };
            sequence.Add(item);
            if (itemLength == UndefinedLength)
            {
                ReadElements(item, -1, undefinedItem: true, topLevel: false);
            }
            else
            {
                var itemEnd = _input.Position + itemLength;
                if (itemLength > _input.Remaining)
                {
                    // dcmtk reads the elements of an item cut short by the end of the file; so do we, but a
                    // truncated element inside it is still an error.
                    Warn($"item length {itemLength} of sequence {tag} runs past the end of the input");
                    itemEnd = _input.Position + _input.Remaining;
                }

                ReadElements(item, itemEnd, undefinedItem: false, topLevel: false);
            }
        }

        _explicitVR = savedExplicit;
        _bigEndian = savedBigEndian;
        _depth--;
        _currentTag = tag.Value;
        return sequence;
    }

    /// <summary>Encapsulated pixel data (PS3.5 A.4): offset table item, fragment items, sequence delimiter.
    /// Fragments are located by their lengths only, so bytes that look like delimiters inside them are harmless.</summary>
    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr)
    {
        ReadItemHeader(out var itemTag, out var length);
        if (itemTag != ItemTag || length == UndefinedLength)
        {
            throw Error("encapsulated pixel data does not start with an offset table item");
        }

        var fragments = new DicomFragmentSequence(tag, vr, ReadFragment(length));
        while (true)
        {
            ReadItemHeader(out itemTag, out length);
            if (itemTag == SequenceDelimiterTag)
            {
                return fragments;
            }

            if (itemTag != ItemTag || length == UndefinedLength)
            {
                throw Error($"expected a fragment item, found {new DicomTag(itemTag)}");
            }

            fragments.AddFragment(ReadFragment(length));
        }
    }

    private DicomBulkData ReadFragment(uint length)
    {
        if (length > _input.Remaining)
        {
            throw Error($"fragment length {length} is larger than the {_input.Remaining} bytes left");
        }

        if (_input.FilePath is not null && length >= 1024)
        {
            var offset = _input.Position;
            if (!_input.TrySkip(length))
            {
                throw Error("input ends inside a fragment");
            }

            return DicomBulkData.FromFile(_input.FilePath, offset, length);
        }

        return DicomBulkData.FromMemory(ReadValue(length, DicomVR.OB));
    }

    private void ReadItemHeader(out uint tag, out uint length)
    {
        if (!_input.TryEnsure(8))
        {
            throw Error("input ends inside an item header");
        }

        var h = _input.Peek(8);
        tag = ReadTagAt(h);
        length = ReadUInt32(h[4..]);
        _input.Advance(8);
    }

    private ReadOnlyMemory<byte> ReadValue(uint length, DicomVR vr)
    {
        if (length > Array.MaxLength)
        {
            throw Error($"value length {length} is too large to hold in memory");
        }

        Memory<byte> value;
        if (_input.KnowsLength || length <= 1 << 20)
        {
            value = _arena.Allocate((int)length);
            if (!_input.TryRead(value.Span))
            {
                throw Error("input ends inside a value");
            }
        }
        else
        {
            value = ReadGrowing(length);
        }

        if (_bigEndian)
        {
            DicomBulkData.SwapInPlace(value.Span, SwapUnit(vr));
        }

        return value;
    }

    /// <summary>For streams of unknown length: grow the buffer as bytes actually arrive, so a hostile
    /// length cannot make us allocate gigabytes up front.</summary>
    private byte[] ReadGrowing(uint length)
    {
        var buffer = new byte[1 << 20];
        var done = 0;
        while (done < length)
        {
            if (done == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, length));
            }

            var n = Math.Min(buffer.Length - done, (int)(length - done));
            if (!_input.TryRead(buffer.AsSpan(done, n)))
            {
                throw Error("input ends inside a value");
            }

            done += n;
        }

        return buffer.Length == length ? buffer : buffer[..(int)length];
    }

    private bool IsBulk(DicomTag tag, DicomVR vr, uint length)
    {
        if (_input.FilePath is null)
        {
            return false;
        }

        if (tag.Value is 0x7FE00010 or 0x7FE00008 or 0x7FE00009)
        {
            return length >= 1024;
        }

        return length >= _options.BulkDataThreshold && vr is DicomVR.OB or DicomVR.OW or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.UN;
    }

    /// <summary>VR for implicit VR data: the dictionary's, with the ambiguous ones resolved as PS3.5 Annex A says.</summary>
    private static DicomVR ImplicitVR(DicomDataset dataset, DicomTag tag)
    {
        var vrs = DicomDictionary.GetVRs(tag);
        if (vrs.Count == 0)
        {
            return DicomDictionary.GetVR(tag);
        }

        if (vrs.Count == 1)
        {
            return vrs[0];
        }

        // OB or OW: OW in implicit VR (PS3.5 A.1 c). US or SS (or OW): SS when Pixel Representation says signed.
        if (vrs[0] == DicomVR.OB)
        {
            return DicomVR.OW;
        }

        if (vrs.Contains(DicomVR.SS))
        {
            var pixelRepresentation = FindPixelRepresentation(dataset);
            return pixelRepresentation == 1 ? DicomVR.SS : DicomVR.US;
        }

        return vrs[0];
    }

    private static int FindPixelRepresentation(DicomDataset dataset)
    {
        for (var d = dataset; d is not null; d = d.Parent)
        {
            var e = d.Find(new DicomTag(0x00280103));
            if (e is not null && e.Length >= 2 && e.VR == DicomVR.US)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(e.GetBytes().Span);
            }
        }

        return 0;
    }

    private static int SwapUnit(DicomVR vr) => vr switch
    {
        DicomVR.AT => 2,
        DicomVR.OB or DicomVR.UN => 0,
        _ => vr.UnitSize(),
    };

    private uint ReadTagAt(ReadOnlySpan<byte> b) =>
        _bigEndian
            ? ((uint)BinaryPrimitives.ReadUInt16BigEndian(b) << 16) | BinaryPrimitives.ReadUInt16BigEndian(b[2..])
            : ((uint)BinaryPrimitives.ReadUInt16LittleEndian(b) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);

    private uint ReadUInt32(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    /// <summary>Problems the reader tolerated (like dcmtk does); they never contain element values.</summary>
    public List<string> Warnings { get; } = [];

    private void Warn(string problem) => Warnings.Add($"offset {_input.Position}: {problem}");

    private DicomFormatException Error(string problem, Exception? inner = null) =>
        new(_input.SourceName, _input.Position, _currentTag == 0 ? null : new DicomTag(_currentTag), problem, inner);
}
