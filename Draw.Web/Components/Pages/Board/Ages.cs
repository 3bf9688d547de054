using System.Globalization;

namespace Draw.Web.Components.Pages.Board;

/// <summary>Short ages for the board ("45 s", "12 min", "3 h", "2 d") and byte sizes.</summary>
internal static class Ages
{
    public static string Since(DateTime since, DateTime now)
    {
        var seconds = Math.Max(0, (long)(now - since).TotalSeconds);
        return seconds switch
        {
            < 120 => $"{seconds} s",
            < 7_200 => $"{seconds / 60} min",
            < 172_800 => $"{seconds / 3_600} h",
            _ => $"{seconds / 86_400} d",
        };
    }

    /// <summary>A coming time: "in 4 min (14:05:00)", or "due now" once passed.</summary>
    public static string When(DateTime at, DateTime now) =>
        at <= now ? "due now" : $"in {Since(now, at)} ({at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)})";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 40 => (bytes / (double)(1L << 40)).ToString("0.0 'TB'", CultureInfo.InvariantCulture),
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0 'GB'", CultureInfo.InvariantCulture),
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0 'MB'", CultureInfo.InvariantCulture),
        _ => (bytes / 1024.0).ToString("0 'KB'", CultureInfo.InvariantCulture),
    };
}
