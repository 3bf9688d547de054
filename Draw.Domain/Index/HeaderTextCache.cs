using System.Runtime.InteropServices;
using Draw.Dicom.Core;

namespace Draw.Domain.Index;

/// <summary>
/// The header text that every file of a series repeats (UIDs, names, dates, descriptions), decoded once. A scan reads
/// a folder of one series file after file: with this, the headers it holds share one copy of each such value instead
/// of one per file, and the bytes are compared instead of decoded again. A value is reused only when its bytes, its VR
/// and the dataset's Specific Character Set are the same. Not thread-safe: one per reading thread.
/// </summary>
public sealed class HeaderTextCache
{
    private readonly Dictionary<uint, Entry> _text = [];
    private readonly Dictionary<uint, Entry> _values = [];
    private byte[] _characterSet = [];

    /// <summary>Starts a dataset: what was decoded under another character set is forgotten.</summary>
    internal void Begin(DicomDataset dataset)
    {
        var element = dataset.Find(DicomTags.SpecificCharacterSet);
        var characterSet = element is null ? default : element.GetBytes().Span;
        if (!characterSet.SequenceEqual(_characterSet))
        {
            _text.Clear();
            _values.Clear();
            _characterSet = characterSet.ToArray();
        }
    }

    /// <summary>As <see cref="DicomDataset.GetString(DicomTag)"/>.</summary>
    internal string? GetString(DicomDataset dataset, DicomTag tag)
    {
        var element = dataset.Find(tag);
        if (element is null)
        {
            return null;
        }

        return Cacheable(element) ? Cached(_text, dataset, element, static (d, e) => d.GetString(e)) : dataset.GetString(element);
    }

    /// <summary>As <see cref="DicomDataset.GetStrings(DicomTag)"/>; the array is shared, so it is handed out read-only.</summary>
    internal IReadOnlyList<string> GetStrings(DicomDataset dataset, DicomTag tag)
    {
        var element = dataset.Find(tag);
        return element is not null && Cacheable(element)
            ? Cached(_values, dataset, element, static (d, e) => Array.AsReadOnly(d.GetStrings(e.Tag)))
            : dataset.GetStrings(tag);
    }

    /// <summary>Text held in memory; anything else (a sequence, bulk data, a binary VR) is read as the dataset reads it.</summary>
    private static bool Cacheable(DicomElement element) => element.VR.IsString() && element.BulkData is null && element is not DicomSequence;

    /// <summary>The value decoded last for this tag when the element's VR and bytes are the same; else decodes and keeps it.</summary>
    private static T Cached<T>(Dictionary<uint, Entry> entries, DicomDataset dataset, DicomElement element, Func<DicomDataset, DicomElement, T> decode)
        where T : class
    {
        var bytes = element.GetBytes().Span;
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(entries, element.Tag.Value, out var exists);
        if (!exists || entry.VR != element.VR || !bytes.SequenceEqual(entry.Bytes))
        {
            entry = new Entry { Bytes = bytes.ToArray(), VR = element.VR, Value = decode(dataset, element) };
        }

        return (T)entry.Value!;
    }

    private struct Entry
    {
        public byte[] Bytes;
        public DicomVR VR;
        public object? Value;
    }
}
