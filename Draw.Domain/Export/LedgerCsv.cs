using System.Globalization;

namespace Draw.Domain.Export;

/// <summary>
/// The ledger as CSV (RFC 4180: quoted when needed, CRLF lines). A cell that a spreadsheet would
/// run as a formula (starting with = + - @) is prefixed with an apostrophe.
/// </summary>
public static class LedgerCsv
{
    public static readonly string[] Header =
    [
        "ExportedAt", "Result", "Destination", "DestinationKind", "PatientID", "PatientName", "SOPInstanceUID", "StudyDate", "StudyTime",
        "StudyDateTime", "Modality", "SourcePath", "FileName", "Target", "Attempts", "Error", "Sequence", "SeriesId", "JobId", "HarvestSourceId", "RequestedBy",
    ];

    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<ExportLedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entries);
        await writer.WriteAsync(Line(Header).AsMemory(), cancellationToken);
        await foreach (var e in entries.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line(Row(e)).AsMemory(), cancellationToken);
        }
    }

    public static IReadOnlyList<string?> Row(ExportLedgerEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string? Number(long? n) => n?.ToString(CultureInfo.InvariantCulture);
        return
        [
            e.ExportedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Result.ToString(), e.DestinationName, e.DestinationKind.ToString(),
            e.PatientId, e.PatientName, e.SopInstanceUid, e.StudyDate, e.StudyTime, e.StudyDateTime?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            e.Modality, e.SourcePath, e.FileName, e.Target, Number(e.Attempts), e.Error, Number(e.Sequence), Number(e.SeriesId), Number(e.JobId), Number(e.HarvestSourceId), e.RequestedBy,
        ];
    }

    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
