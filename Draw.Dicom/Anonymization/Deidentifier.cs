using System.Text;
using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Dicom.Anonymization;

/// <summary>A batch's UIDs and patients, mapped: <see cref="Uids"/> holds every UID the batch's files carry,
/// <see cref="Pseudonyms"/> the pseudonym of each file's patient (by the files' order).</summary>
public sealed record BatchMapping(IReadOnlyDictionary<string, string> Uids, IReadOnlyList<PatientPseudonym> Pseudonyms);

/// <summary>One de-identified file: the new dataset and the UIDs it was given.</summary>
public sealed record DeidentifiedFile(DicomFile File, string? OriginalSopInstanceUid, string? SopInstanceUid, string? SeriesInstanceUid, string PatientId);

/// <summary>
/// Applies the Basic Application Level Confidentiality Profile (PS3.15 E.1-1) with its options to datasets,
/// recursively inside sequences. UIDs go through the caller's <see cref="IUidMapper"/>, patients through its
/// <see cref="IPatientPseudonymizer"/>; both are asked once per batch. Pixel data is never decoded or loaded:
/// it stays a file range and is copied when the result is written. The engine holds no state of its own.
/// Errors never carry element values (only tags).
/// </summary>
public sealed class Deidentifier
{
    private const string DummyText = "DEIDENTIFIED";

    private readonly IUidMapper _uids;
    private readonly IPatientPseudonymizer _patients;
    private readonly ConfidentialityProfile _profile;
    private readonly HashSet<(ushort Group, string Creator, byte Element)> _safePrivate;
    private readonly Markers _markers;

    public Deidentifier(DeidentificationProfile profile, IUidMapper uids, IPatientPseudonymizer patients)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(patients);
        if ((profile.Options & ConfidentialityOptions.RetainLongitudinalFullDates) != 0 && (profile.Options & ConfidentialityOptions.RetainLongitudinalModifiedDates) != 0)
        {
            throw new ArgumentException("Retain Longitudinal Temporal Information with Full Dates and with Modified Dates exclude each other", nameof(profile));
        }

        Profile = profile;
        _uids = uids;
        _patients = patients;
        _profile = ConfidentialityProfile.For(profile.Options);
        _safePrivate = [.. profile.SafePrivateTags.Select(s => (s.Group, s.Creator.Trim(), s.Element))];
        _markers = Markers.For(profile);
    }

    public DeidentificationProfile Profile { get; }

    private bool ShiftDates => (Profile.Options & ConfidentialityOptions.RetainLongitudinalModifiedDates) != 0;

    /// <summary>De-identifies one file (see <see cref="DeidentifyAsync(IReadOnlyList{DicomFile}, CancellationToken)"/>).</summary>
    public async Task<DeidentifiedFile> DeidentifyAsync(DicomFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return (await DeidentifyAsync([file], cancellationToken))[0];
    }

    /// <summary>
    /// De-identifies a batch (typically one series). The datasets of <paramref name="files"/> are changed in place
    /// (they are the reader's copies; the files on disk are never touched) and returned as new files without
    /// the original meta group. One UID-map call and one patient call serve the whole batch.
    /// </summary>
    public async Task<IReadOnlyList<DeidentifiedFile>> DeidentifyAsync(IReadOnlyList<DicomFile> files, CancellationToken cancellationToken)
    {
        var mapping = await MapBatchAsync(files, cancellationToken);
        var results = new DeidentifiedFile[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[i] = Apply(files[i], mapping.Uids, mapping.Pseudonyms[i]);
        }

        return results;
    }

    /// <summary>
    /// The first half of <see cref="DeidentifyAsync(IReadOnlyList{DicomFile}, CancellationToken)"/>: every UID and
    /// patient of the batch mapped (one call each), the datasets not yet changed. <see cref="Apply"/> then takes
    /// the files one by one, in any order and on any thread (it only reads the engine and the mapping).
    /// </summary>
    public async Task<BatchMapping> MapBatchAsync(IReadOnlyList<DicomFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var uids = new HashSet<string>(StringComparer.Ordinal);
        var patients = new Dictionary<string, PatientIdentity>(StringComparer.Ordinal);
        var identities = new PatientIdentity[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var ds = files[i].Dataset;
            identities[i] = PatientIdentity.From(ds);
            patients.TryAdd(identities[i].Key, identities[i]);
            CollectUids(ds, uids, inUidSequence: false);
        }

        var uidMap = uids.Count == 0 ? new Dictionary<string, string>() : await _uids.MapAsync(uids, cancellationToken);
        var pseudonyms = await _patients.GetAsync(patients.Values, cancellationToken);
        var perFile = new PatientPseudonym[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            perFile[i] = pseudonyms.TryGetValue(identities[i].Key, out var pseudonym)
                ? pseudonym
                : throw new InvalidOperationException("the patient pseudonymizer returned no pseudonym for a patient of the batch");
        }

        return new BatchMapping(uidMap, perFile);
    }

    /// <summary>Applies the profile to one dataset whose UIDs are all in <paramref name="uidMap"/> (synchronous core, for callers that batch themselves).</summary>
    public DeidentifiedFile Apply(DicomFile file, IReadOnlyDictionary<string, string> uidMap, PatientPseudonym pseudonym)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(uidMap);
        ArgumentNullException.ThrowIfNull(pseudonym);
        var ds = file.Dataset;
        var originalSop = ds.GetString(DicomTags.SOPInstanceUID);
        var context = new Context(uidMap, pseudonym.DateShiftDays, Identifiers.From(ds));
        CleanDataset(ds, context, inUidSequence: false);

        ds.SetString(DicomTags.PatientName, DicomVR.PN, pseudonym.PatientName);
        ds.SetString(DicomTags.PatientID, DicomVR.LO, pseudonym.PatientId);
        WriteMarkers(ds);
        var result = new DicomFile(ds, file.TransferSyntax);
        return new DeidentifiedFile(result, originalSop, ds.GetString(DicomTags.SOPInstanceUID), ds.GetString(DicomTags.SeriesInstanceUID), pseudonym.PatientId);
    }

    /// <summary>Every UID value the dataset holds that the profile replaces.</summary>
    public void CollectUids(DicomDataset dataset, ISet<string> into)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(into);
        CollectUids(dataset, into, inUidSequence: false);
    }

    private void CollectUids(DicomDataset ds, ISet<string> into, bool inUidSequence)
    {
        foreach (var e in ds.Elements)
        {
            if (e.Tag.IsPrivate)
            {
                continue;
            }

            var action = _profile.GetAction(e.Tag);
            if (e is DicomSequence sq)
            {
                if (action is DeidAction.Remove or DeidAction.Zero or DeidAction.RemoveOrZero or DeidAction.RemoveOrDummy or DeidAction.RemoveOrZeroOrDummy or DeidAction.ZeroOrDummy)
                {
                    continue;
                }

                foreach (var item in sq.Items)
                {
                    CollectUids(item, into, inUidSequence || action == DeidAction.RemoveOrZeroOrUids);
                }

                continue;
            }

            if (e.VR == DicomVR.UI && ShouldMapUid(e.Tag, action) && !e.IsEmpty)
            {
                foreach (var uid in UidValues(e))
                {
                    if (IsMappable(uid))
                    {
                        into.Add(uid);
                    }
                }
            }
        }
    }

    /// <summary>UI elements the profile replaces: U and D rows, and every UI element the table does not list
    /// (the map is level-agnostic: nested references and unlisted UIDs map too). Registered UIDs (SOP classes,
    /// transfer syntaxes, coding schemes under the DICOM root) are never mapped.</summary>
    private static bool ShouldMapUid(DicomTag tag, DeidAction action) =>
        action is DeidAction.Uid or DeidAction.Dummy or DeidAction.None or DeidAction.Keep or DeidAction.Clean or DeidAction.ZeroOrDummy or DeidAction.RemoveOrDummy or DeidAction.RemoveOrZeroOrDummy
        && !IsClassUidTag(tag);

    private static bool IsClassUidTag(DicomTag tag) => tag.Value is
        0x00080016 or // SOP Class UID
        0x00081150 or // Referenced SOP Class UID
        0x0008001A or // Related General SOP Class UID
        0x0008001B or // Original Specialized SOP Class UID
        0x00080062 or // SOP Classes in Study
        0x0008010C or // Coding Scheme UID
        0x00080117 or // Context UID
        0x00080118 or // Mapping Resource UID
        0x0008010D or // Context Group Extension Creator UID
        0x00041510 or // Referenced SOP Class UID in File
        0x00041512 or // Referenced Transfer Syntax UID in File
        0x0004151A or // Referenced Related General SOP Class UID in File
        0x00020002 or 0x00020010 or 0x00020012;

    /// <summary>True for UIDs the map replaces: anything but registered UIDs and those under the DICOM root.</summary>
    public static bool IsMappableUid(string uid) => IsMappable(uid);

    internal static bool IsMappable(string uid) =>
        uid.Length > 0 && !uid.StartsWith("1.2.840.10008.", StringComparison.Ordinal) && DicomUids.Find(uid) is null;

    private static string[] UidValues(DicomElement e)
    {
        var text = Encoding.ASCII.GetString(e.GetBytes().Span).TrimEnd('\0', ' ');
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return [text.Trim()];
        }

        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim('\0', ' ');
        }

        return parts;
    }

    private void CleanDataset(DicomDataset ds, Context context, bool inUidSequence)
    {
        List<DicomTag>? remove = null;
        HashSet<ushort>? overlayGroupsRemoved = null;
        HashSet<DicomTag>? keptPrivateBlocks = null;
        var elements = ds.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            var tag = e.Tag;
            if (tag.IsPrivate)
            {
                if (IsSafePrivate(ds, tag))
                {
                    (keptPrivateBlocks ??= []).Add(tag.PrivateCreatorTag);
                    continue;
                }

                (remove ??= []).Add(tag);
                continue;
            }

            if (tag.Group == 0x0002)
            {
                continue;
            }

            var action = _profile.GetAction(tag);
            if (action == DeidAction.Remove && (tag.Group & 0xFF00) == 0x6000 && tag.Element == 0x3000)
            {
                (overlayGroupsRemoved ??= []).Add(tag.Group);
            }

            var replacement = CleanElement(ds, e, action, context, inUidSequence, out var drop);
            if (drop)
            {
                (remove ??= []).Add(tag);
            }
            else if (replacement is not null)
            {
                ds.Add(replacement);
            }
        }

        if (remove is not null)
        {
            foreach (var tag in remove)
            {
                if (tag.IsPrivateCreator && keptPrivateBlocks is not null && keptPrivateBlocks.Contains(tag))
                {
                    continue;
                }

                ds.Remove(tag);
            }
        }

        if (overlayGroupsRemoved is not null)
        {
            // An overlay without its data is not a valid overlay plane: the whole 60xx group goes.
            ds.RemoveAll(e => overlayGroupsRemoved.Contains(e.Tag.Group));
        }
    }

    private bool IsSafePrivate(DicomDataset ds, DicomTag tag)
    {
        if ((Profile.Options & ConfidentialityOptions.RetainSafePrivate) == 0 || _safePrivate.Count == 0 || tag.IsPrivateCreator || tag.Element < 0x1000)
        {
            return false;
        }

        var creator = ds.GetPrivateCreator(tag);
        return creator is not null && _safePrivate.Contains((tag.Group, creator, (byte)tag.Element));
    }

    /// <summary>The element to put in place of <paramref name="e"/> (null: keep it as it is); <paramref name="drop"/> removes it.</summary>
    private DicomElement? CleanElement(DicomDataset ds, DicomElement e, DeidAction action, Context context, bool inUidSequence, out bool drop)
    {
        drop = false;
        if (e is DicomSequence sq)
        {
            switch (action)
            {
                case DeidAction.Remove:
                case DeidAction.RemoveOrDummy:
                    drop = true;
                    return null;
                case DeidAction.Zero:
                case DeidAction.RemoveOrZero:
                case DeidAction.ZeroOrDummy:
                case DeidAction.RemoveOrZeroOrDummy:
                    return new DicomSequence(e.Tag) { UndefinedLength = sq.UndefinedLength };
                default:
                    // K, C, D and X/Z/U* sequences and unlisted ones: kept, every item cleaned (PS3.15 E.1.1).
                    foreach (var item in sq.Items)
                    {
                        CleanDataset(item, context, inUidSequence || action == DeidAction.RemoveOrZeroOrUids);
                    }

                    return null;
            }
        }

        if (e is DicomFragmentSequence)
        {
            return null;
        }

        if (e.VR == DicomVR.UI && ShouldMapUid(e.Tag, action))
        {
            return MapUids(e, context);
        }

        switch (action)
        {
            case DeidAction.Remove:
                drop = true;
                return null;
            case DeidAction.Zero:
            case DeidAction.RemoveOrZero:
            case DeidAction.RemoveOrZeroOrUids:
                return e.IsEmpty ? null : new DicomElement(e.Tag, e.VR, ReadOnlyMemory<byte>.Empty);
            case DeidAction.Dummy:
            case DeidAction.ZeroOrDummy:
            case DeidAction.RemoveOrDummy:
            case DeidAction.RemoveOrZeroOrDummy:
                return Dummy(e);
            case DeidAction.Clean:
                return Clean(ds, e, context);
            case DeidAction.Uid:
                return null;
            default:
                // K and unlisted attributes: kept, but with modified dates every date moves by the patient's shift.
                return ShiftDates && e.VR is DicomVR.DA or DicomVR.DT && !e.IsEmpty ? Shift(e, context) : null;
        }
    }

    private static DicomElement? MapUids(DicomElement e, Context context)
    {
        if (e.IsEmpty)
        {
            return null;
        }

        var values = UidValues(e);
        var changed = false;
        for (var i = 0; i < values.Length; i++)
        {
            if (IsMappable(values[i]))
            {
                if (!context.Uids.TryGetValue(values[i], out var pseudonym))
                {
                    throw new InvalidOperationException($"{e.Tag}: the UID map returned no pseudonym for a UID of the batch");
                }

                values[i] = pseudonym;
                changed = true;
            }
        }

        return changed ? new DicomElement(e.Tag, DicomVR.UI, DicomDataset.Pad(Encoding.ASCII.GetBytes(string.Join('\\', values)), DicomVR.UI)) : null;
    }

    private DicomElement? Clean(DicomDataset ds, DicomElement e, Context context)
    {
        switch (e.VR)
        {
            case DicomVR.DA:
            case DicomVR.DT:
                return ShiftDates ? Shift(e, context) : new DicomElement(e.Tag, e.VR, ReadOnlyMemory<byte>.Empty);
            case DicomVR.TM:
                // Whole-day shifts leave times of day unchanged.
                return null;
            case DicomVR.AE:
                return Text(e.Tag, e.VR, DummyText);
            case DicomVR.LO or DicomVR.SH or DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.UC or DicomVR.PN or DicomVR.CS:
                return context.Identifiers.Scrub(ds, e);
            default:
                return null;
        }
    }

    private static DicomElement? Shift(DicomElement e, Context context)
    {
        if (e.IsEmpty)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(e.GetBytes().Span).TrimEnd('\0', ' ');
        var values = text.Split('\\');
        for (var i = 0; i < values.Length; i++)
        {
            var v = e.VR == DicomVR.DA ? DateShift.ShiftDate(values[i], context.ShiftDays) : DateShift.ShiftDateTime(values[i], context.ShiftDays);
            if (v is null)
            {
                // Not a full date: it cannot be shifted, so it cannot be kept either.
                return new DicomElement(e.Tag, e.VR, ReadOnlyMemory<byte>.Empty);
            }

            values[i] = v;
        }

        return Text(e.Tag, e.VR, string.Join('\\', values));
    }

    /// <summary>A non-zero-length value consistent with the VR (PS3.15 action D).</summary>
    private static DicomElement Dummy(DicomElement e) => e.VR switch
    {
        DicomVR.DA => Text(e.Tag, e.VR, "19000101"),
        DicomVR.DT => Text(e.Tag, e.VR, "19000101000000"),
        DicomVR.TM => Text(e.Tag, e.VR, "000000"),
        DicomVR.AS => Text(e.Tag, e.VR, "000Y"),
        DicomVR.DS or DicomVR.IS => Text(e.Tag, e.VR, "0"),
        DicomVR.UR => Text(e.Tag, e.VR, "urn:draw:deidentified"),
        DicomVR.AE or DicomVR.CS or DicomVR.LO or DicomVR.SH or DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.UC or DicomVR.PN => Text(e.Tag, e.VR, DummyText),
        DicomVR.UI => new DicomElement(e.Tag, e.VR, ReadOnlyMemory<byte>.Empty),
        _ => new DicomElement(e.Tag, e.VR, new byte[Math.Max(2, e.VR.UnitSize())]),
    };

    private static DicomElement Text(DicomTag tag, DicomVR vr, string ascii) =>
        new(tag, vr, DicomDataset.Pad(Encoding.ASCII.GetBytes(ascii), vr));

    private void WriteMarkers(DicomDataset ds)
    {
        ds.SetString(DicomTags.PatientIdentityRemoved, DicomVR.CS, "YES");
        ds.SetString(DicomTags.DeidentificationMethod, DicomVR.LO, _markers.Method);
        var items = new DicomDataset[_markers.Codes.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var (value, meaning) = _markers.Codes[i];
            var item = new DicomDataset();
            item.SetString(DicomTags.CodeValue, DicomVR.SH, value);
            item.SetString(DicomTags.CodingSchemeDesignator, DicomVR.SH, "DCM");
            item.SetString(DicomTags.CodeMeaning, DicomVR.LO, meaning);
            items[i] = item;
        }

        ds.SetSequence(DicomTags.DeidentificationMethodCodeSequence, items);
        ds.SetString(DicomTags.LongitudinalTemporalInformationModified, DicomVR.CS, _markers.Temporal);
    }

    /// <summary>What every output says about its de-identification: the same for every file, so worked out once.</summary>
    private sealed record Markers(string[] Method, IReadOnlyList<(string Value, string Meaning)> Codes, string Temporal)
    {
        public static Markers For(DeidentificationProfile profile)
        {
            var options = profile.Options;
            var codes = DeidentificationCodes.For(options);
            var method = new string[codes.Count];
            method[0] = Truncate(profile.MethodDescription, 64);
            for (var i = 1; i < codes.Count; i++)
            {
                method[i] = Truncate(codes[i].Meaning, 64);
            }

            var temporal = (options & ConfidentialityOptions.RetainLongitudinalFullDates) != 0 ? "UNMODIFIED"
                : (options & ConfidentialityOptions.RetainLongitudinalModifiedDates) != 0 ? "MODIFIED" : "REMOVED";
            return new Markers(method, codes, temporal);
        }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private sealed record Context(IReadOnlyDictionary<string, string> Uids, int ShiftDays, Identifiers Identifiers);
}
