using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Draw.Domain.Index;
using Draw.Domain.Ingest;

namespace Draw.Worker.Ingest;

/// <summary>A datastore's filters, prepared once per scan: modality, localizers, pull window, study date.</summary>
internal sealed class ScanFilter
{
    private readonly HashSet<string> modalities;
    private readonly Regex? localizer;

    // The files of a series share their description and image type: each distinct text is matched once per scan
    // (the readers call in parallel). Bounded, so a datastore of unique descriptions costs no more than before.
    private readonly ConcurrentDictionary<string, bool> localizerTexts = new(StringComparer.Ordinal);
    private const int MaxRememberedTexts = 4096;
    private readonly DateTime? windowStart;
    private readonly bool studyDateFilter;

    public ScanFilter(Datastore datastore)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        modalities = new HashSet<string>(datastore.ModalityList, StringComparer.OrdinalIgnoreCase);
        var words = datastore.LocalizerWords.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Escaped words only, matched in linear time (NonBacktracking), so no timeout: a wall-clock regex timeout
        // fired on a starved, overloaded machine and crashed the scan with RegexMatchTimeoutException.
        localizer = datastore.ExcludeLocalizers && words.Length > 0
            ? new Regex($@"\b({string.Join('|', words.Select(Regex.Escape))})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout)
            : null;
        windowStart = datastore.PullWindowStart;
        studyDateFilter = datastore.StudyDateFilter;
    }

    public bool BeforeWindow(DateTime modifiedAt) => windowStart is { } start && modifiedAt < start;

    /// <summary>Why a readable file is not indexed, or null when it is.</summary>
    public ScanOutcome? Exclude(InstanceHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Modality is null || !modalities.Contains(header.Modality))
        {
            return ScanOutcome.OtherModality;
        }

        if (localizer is not null && IsLocalizer(header))
        {
            return ScanOutcome.Localizer;
        }

        if (studyDateFilter && windowStart is { } start && header.StudyDate is { Length: 8 } date
            && string.CompareOrdinal(date, start.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)) < 0)
        {
            return ScanOutcome.BeforeWindow;
        }

        return null;
    }

    private bool IsLocalizer(InstanceHeader header)
    {
        if (IsLocalizerText(header.SeriesDescription ?? ""))
        {
            return true;
        }

        var imageType = header.ImageType;
        for (var i = 0; i < imageType.Count; i++)
        {
            if (IsLocalizerText(imageType[i]))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsLocalizerText(string text)
    {
        if (localizerTexts.TryGetValue(text, out var known))
        {
            return known;
        }

        var match = localizer!.IsMatch(text);
        if (localizerTexts.Count < MaxRememberedTexts)
        {
            localizerTexts.TryAdd(text, match);
        }

        return match;
    }
}
