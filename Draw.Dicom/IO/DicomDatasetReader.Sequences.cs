using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>Sequences, their items, and encapsulated pixel data (PS3.5 7.5, A.4).</summary>
internal sealed partial class DicomDatasetReader
{
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
}
