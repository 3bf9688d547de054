using System.Globalization;

namespace Draw.Dicom.Core.Values;

/// <summary>Parses DA, TM and DT values (PS3.5 Table 6.2-1), including the partial precisions the standard allows
/// and the old ACR-NEMA forms "YYYY.MM.DD" and "HH:MM:SS" that still appear in real files.</summary>
public static class DicomDateTimeParser
{
    /// <summary>DA: YYYYMMDD (or YYYY.MM.DD).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        text = text.Trim();
        Span<char> digits = stackalloc char[8];
        var n = 0;
        foreach (var c in text)
        {
            if (c == '.' && text.Length == 10)
            {
                continue;
            }

            if (!char.IsAsciiDigit(c) || n == 8)
            {
                return false;
            }

            digits[n++] = c;
        }

        if (n != 8)
        {
            return false;
        }

        var y = Number(digits[..4]);
        var m = Number(digits[4..6]);
        var d = Number(digits[6..8]);
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    /// <summary>TM: HH[MM[SS[.F{1,6}]]] (or HH:MM:SS.frac). A leap second 60 is read as 59.999999.</summary>
    public static bool TryParseTime(ReadOnlySpan<char> text, out TimeOnly time)
    {
        time = default;
        text = text.Trim();
        Span<char> buf = stackalloc char[text.Length];
        var n = 0;
        foreach (var c in text)
        {
            if (c != ':')
            {
                buf[n++] = c;
            }
        }

        var s = buf[..n];
        var dot = s.IndexOf('.');
        var whole = dot >= 0 ? s[..dot] : s;
        if (whole.Length is not (2 or 4 or 6) || !AllDigits(whole))
        {
            return false;
        }

        var h = Number(whole[..2]);
        var mi = whole.Length >= 4 ? Number(whole[2..4]) : 0;
        var se = whole.Length == 6 ? Number(whole[4..6]) : 0;
        long ticks = 0;
        if (dot >= 0)
        {
            var frac = s[(dot + 1)..];
            if (frac.Length is < 1 or > 6 || whole.Length != 6 || !AllDigits(frac))
            {
                return false;
            }

            var micro = Number(frac);
            for (var i = frac.Length; i < 6; i++)
            {
                micro *= 10;
            }

            ticks = micro * 10L;
        }

        if (h > 23 || mi > 59 || se > 60)
        {
            return false;
        }

        if (se == 60)
        {
            se = 59;
            ticks = TimeSpan.TicksPerSecond - 10;
        }

        time = new TimeOnly(new TimeSpan(0, h, mi, se).Ticks + ticks);
        return true;
    }

    /// <summary>DT: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&amp;ZZXX]; the offset is null when the value has none.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DateTime value, out TimeSpan? offset)
    {
        value = default;
        offset = null;
        text = text.Trim();
        var sign = text.IndexOfAny('+', '-');
        if (sign >= 0)
        {
            var z = text[(sign + 1)..];
            if (z.Length != 4 || !AllDigits(z))
            {
                return false;
            }

            var oh = Number(z[..2]);
            var om = Number(z[2..]);
            if (oh > 14 || om > 59)
            {
                return false;
            }

            var span = new TimeSpan(oh, om, 0);
            offset = text[sign] == '-' ? -span : span;
            text = text[..sign];
        }

        var dot = text.IndexOf('.');
        var whole = dot >= 0 ? text[..dot] : text;
        if (whole.Length is not (4 or 6 or 8 or 10 or 12 or 14) || !AllDigits(whole))
        {
            return false;
        }

        var y = Number(whole[..4]);
        var mo = whole.Length >= 6 ? Number(whole[4..6]) : 1;
        var d = whole.Length >= 8 ? Number(whole[6..8]) : 1;
        if (y < 1 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo))
        {
            return false;
        }

        var date = new DateOnly(y, mo, d);
        var time = TimeOnly.MinValue;
        if (whole.Length > 8)
        {
            Span<char> t = stackalloc char[whole.Length - 8 + (dot >= 0 ? text.Length - dot : 0)];
            whole[8..].CopyTo(t);
            if (dot >= 0)
            {
                text[dot..].CopyTo(t[(whole.Length - 8)..]);
            }

            if (!TryParseTime(t, out time))
            {
                return false;
            }
        }
        else if (dot >= 0)
        {
            return false;
        }

        value = date.ToDateTime(time);
        return true;
    }

    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string FormatTime(TimeOnly time) =>
        time.Ticks % TimeSpan.TicksPerSecond == 0
            ? time.ToString("HHmmss", CultureInfo.InvariantCulture)
            : time.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture);

    public static string FormatDateTime(DateTime value, TimeSpan? offset = null)
    {
        var s = value.ToString(value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyyMMddHHmmss" : "yyyyMMddHHmmss.ffffff", CultureInfo.InvariantCulture);
        if (offset is { } o)
        {
            var sign = o < TimeSpan.Zero ? '-' : '+';
            var a = o.Duration();
            s += string.Create(CultureInfo.InvariantCulture, $"{sign}{a.Hours:00}{a.Minutes:00}");
        }

        return s;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<char> s)
    {
        var v = 0;
        foreach (var c in s)
        {
            v = (v * 10) + (c - '0');
        }

        return v;
    }
}
