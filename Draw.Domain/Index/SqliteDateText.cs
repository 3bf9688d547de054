namespace Draw.Domain.Index;

/// <summary>
/// A DateTime in the text form Microsoft.Data.Sqlite stores ("yyyy-MM-dd HH:mm:ss", then, when the second has a
/// fraction, a dot and up to seven digits without trailing zeros), written straight as UTF-8. The index binds two or
/// three per row, and the general formatter reads its pattern again for each.
/// </summary>
internal static class SqliteDateText
{
    /// <summary>"yyyy-MM-dd HH:mm:ss.fffffff".</summary>
    public const int MaxLength = 27;

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the length.</summary>
    public static int Format(DateTime value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength);
        Digits(destination[..4], value.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), value.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), value.Day);
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), value.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), value.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), value.Second);
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return 19;
        }

        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 7), fraction);
        var length = MaxLength;
        while (destination[length - 1] == (byte)'0')
        {
            length--;
        }

        return length;
    }

    /// <summary>Writes <paramref name="value"/> as exactly <c>digits.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
