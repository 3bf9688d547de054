using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Draw.Dicom.Core;

namespace Draw.Dicom.Anonymization;

/// <summary>
/// The persistent, level-agnostic UID map as the engine sees it: any UID (study, series, instance, frame of
/// reference, nested reference) maps to one pseudonym, and the same original always to the same pseudonym.
/// Called once per batch of files with every UID the batch holds, so a database-backed map costs one round trip.
/// </summary>
public interface IUidMapper
{
    /// <summary>The pseudonym of every original (created and stored when missing).</summary>
    ValueTask<IReadOnlyDictionary<string, string>> MapAsync(IReadOnlyCollection<string> originals, CancellationToken cancellationToken);
}

/// <summary>The inverse direction of the UID map, for re-identification.</summary>
public interface IUidReverseMapper
{
    /// <summary>The originals of the pseudonyms that are in the map; unknown pseudonyms are absent from the result.</summary>
    ValueTask<IReadOnlyDictionary<string, string>> FindOriginalsAsync(IReadOnlyCollection<string> pseudonyms, CancellationToken cancellationToken);
}

/// <summary>Who a dataset belongs to, as read from its original header. <see cref="Key"/> identifies the patient.</summary>
public sealed record PatientIdentity(string PatientId, string? IssuerOfPatientId, string PatientName, string? BirthDate)
{
    /// <summary>Patient ID qualified by its issuer; without an ID, the name and birth date.</summary>
    public string Key => PatientId.Length > 0
        ? "id:" + (IssuerOfPatientId ?? "") + "|" + PatientId
        : "name:" + PatientName + "|" + (BirthDate ?? "");

    public static PatientIdentity From(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new PatientIdentity(
            dataset.GetString(DicomTags.PatientID)?.Trim() ?? "",
            dataset.GetString(DicomTags.IssuerOfPatientID)?.Trim() is { Length: > 0 } issuer ? issuer : null,
            dataset.GetString(DicomTags.PatientName)?.Trim() ?? "",
            dataset.GetString(DicomTags.PatientBirthDate)?.Trim() is { Length: > 0 } birth ? birth : null);
    }
}

/// <summary>A patient's stable pseudonym: the ID and name written instead of the real ones, and the day shift of every date.</summary>
public sealed record PatientPseudonym(string PatientId, string PatientName, int DateShiftDays);

/// <summary>Hands out one stable pseudonym per original patient (kept across studies and runs).</summary>
public interface IPatientPseudonymizer
{
    /// <summary>The pseudonym of each patient, keyed by <see cref="PatientIdentity.Key"/>.</summary>
    ValueTask<IReadOnlyDictionary<string, PatientPseudonym>> GetAsync(IReadOnlyCollection<PatientIdentity> patients, CancellationToken cancellationToken);
}

/// <summary>Keyed derivation of pseudonym UIDs: root + decimal of the first 128 bits of HMAC-SHA256(site key, original).
/// Deterministic per site, unguessable without the key; two workers mapping the same UID compute the same pseudonym.</summary>
public static class UidPseudonyms
{
    public static string Derive(ReadOnlySpan<byte> key, string original, string root = "2.25")
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(root);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(original), hash);
        var number = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
        var digits = number.ToString(CultureInfo.InvariantCulture);
        var room = DicomUidGenerator.MaxLength - root.Length - 1;
        if (digits.Length > room)
        {
            digits = digits[..room];
        }

        return root + "." + digits;
    }
}

/// <summary>An in-memory two-way UID map with keyed derivation (tests, benchmarks, one-off runs without a database).</summary>
public sealed class InMemoryUidMap : IUidMapper, IUidReverseMapper
{
    private readonly byte[] _key;
    private readonly string _root;
    private readonly Dictionary<string, string> _forward = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _reverse = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public InMemoryUidMap(byte[]? key = null, string root = "2.25")
    {
        _key = key ?? RandomNumberGenerator.GetBytes(32);
        _root = root;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _forward.Count;
            }
        }
    }

    public ValueTask<IReadOnlyDictionary<string, string>> MapAsync(IReadOnlyCollection<string> originals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(originals);
        var result = new Dictionary<string, string>(originals.Count, StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var original in originals)
            {
                if (!_forward.TryGetValue(original, out var pseudonym))
                {
                    pseudonym = UidPseudonyms.Derive(_key, original, _root);
                    _forward[original] = pseudonym;
                    _reverse[pseudonym] = original;
                }

                result[original] = pseudonym;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    public ValueTask<IReadOnlyDictionary<string, string>> FindOriginalsAsync(IReadOnlyCollection<string> pseudonyms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pseudonyms);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var p in pseudonyms)
            {
                if (_reverse.TryGetValue(p, out var original))
                {
                    result[p] = original;
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(result);
    }
}

/// <summary>In-memory patient pseudonyms: "{prefix}{counter:000000}" and a random shift in a range, kept for the object's life.</summary>
public sealed class InMemoryPatientPseudonymizer(string prefix = "DRAW-", int minShiftDays = -3650, int maxShiftDays = -365) : IPatientPseudonymizer
{
    private readonly Dictionary<string, PatientPseudonym> _patients = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask<IReadOnlyDictionary<string, PatientPseudonym>> GetAsync(IReadOnlyCollection<PatientIdentity> patients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patients);
        var result = new Dictionary<string, PatientPseudonym>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var p in patients)
            {
                if (!_patients.TryGetValue(p.Key, out var pseudonym))
                {
                    var id = prefix + (_patients.Count + 1).ToString("000000", CultureInfo.InvariantCulture);
                    pseudonym = new PatientPseudonym(id, id, DateShift.Random(minShiftDays, maxShiftDays));
                    _patients[p.Key] = pseudonym;
                }

                result[p.Key] = pseudonym;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, PatientPseudonym>>(result);
    }
}

/// <summary>Date shifting of DA and DT values by whole days (times of day are kept, so intervals stay exact).</summary>
public static class DateShift
{
    /// <summary>A uniformly random non-zero shift in [min, max] from a cryptographic source.</summary>
    public static int Random(int minDays, int maxDays)
    {
        if (minDays > maxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(minDays), "the minimum shift is above the maximum");
        }

        if (minDays == 0 && maxDays == 0)
        {
            return 0;
        }

        while (true)
        {
            var days = RandomNumberGenerator.GetInt32(minDays, maxDays + 1);
            if (days != 0)
            {
                return days;
            }
        }
    }

    /// <summary>Shifts one DA value (YYYYMMDD); null when it is not a date (the caller then empties it).</summary>
    public static string? ShiftDate(ReadOnlySpan<char> value, int days)
    {
        value = value.Trim(' ');
        if (value.Length != 8 || !DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        var shifted = date.DayNumber + days;
        if (shifted < DateOnly.MinValue.DayNumber || shifted > DateOnly.MaxValue.DayNumber)
        {
            return null;
        }

        return DateOnly.FromDayNumber(shifted).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    /// <summary>Shifts the date part of a DT value (YYYYMMDD[HHMMSS[.F]][&amp;ZZXX]), keeping the rest; null when it holds no full date.</summary>
    public static string? ShiftDateTime(ReadOnlySpan<char> value, int days)
    {
        value = value.Trim(' ');
        if (value.Length < 8)
        {
            return null;
        }

        var date = ShiftDate(value[..8], days);
        return date is null ? null : string.Concat(date, value[8..]);
    }

}
