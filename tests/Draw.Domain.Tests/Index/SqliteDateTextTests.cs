using System.Globalization;
using System.Text;
using Draw.Domain.Index;

namespace Draw.Domain.Tests.Index;

/// <summary>The index's own DateTime text must be byte for byte what .NET's pattern (Microsoft.Data.Sqlite's) gives.</summary>
public sealed class SqliteDateTextTests
{
    private const string MicrosoftDataSqlitePattern = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    public static TheoryData<long> EdgeTicks => new()
    {
        DateTime.MinValue.Ticks,
        DateTime.MaxValue.Ticks,
        new DateTime(2026, 11, 23, 9, 41, 7).Ticks,
        new DateTime(2026, 11, 23, 9, 41, 7).Ticks + 1,
        new DateTime(2026, 11, 23, 9, 41, 7).Ticks + 1_000_000,
        new DateTime(2026, 11, 23, 9, 41, 7).Ticks + 1_234_560,
        new DateTime(2026, 11, 23, 9, 41, 7).Ticks + 9_999_999,
        new DateTime(999, 1, 2, 3, 4, 5).Ticks + 50,
    };

    [Theory]
    [MemberData(nameof(EdgeTicks))]
    public void Edge_values_match_the_pattern(long ticks) => AssertSame(new DateTime(ticks, DateTimeKind.Utc));

    [Fact]
    public void A_hundred_thousand_random_values_match_the_pattern()
    {
        var random = new Random(20261206);
        for (var n = 0; n < 100_000; n++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            // A third keep whole seconds or whole milliseconds, the fractions most often stored.
            ticks -= (n % 3) switch { 0 => ticks % TimeSpan.TicksPerSecond, 1 => ticks % TimeSpan.TicksPerMillisecond, _ => 0 };
            AssertSame(new DateTime(ticks, DateTimeKind.Utc));
        }
    }

    private static void AssertSame(DateTime value)
    {
        Span<byte> text = stackalloc byte[SqliteDateText.MaxLength];
        var length = SqliteDateText.Format(value, text);
        Assert.Equal(value.ToString(MicrosoftDataSqlitePattern, CultureInfo.InvariantCulture), Encoding.UTF8.GetString(text[..length]));
    }
}
