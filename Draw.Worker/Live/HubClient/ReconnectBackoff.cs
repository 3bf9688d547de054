using System.Security.Cryptography;

namespace Draw.Worker.Live.HubClient;

/// <summary>The delay before each connection attempt: a schedule whose last entry repeats, with random jitter.</summary>
internal sealed class ReconnectBackoff
{
    private readonly IReadOnlyList<TimeSpan> _delays;
    private readonly double _jitter;
    private readonly int? _maxAttempts;
    private readonly Func<double> _random;

    public ReconnectBackoff(IReadOnlyList<TimeSpan> delays, double jitter, int? maxAttempts, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(delays);
        ArgumentOutOfRangeException.ThrowIfZero(delays.Count);
        _delays = delays;
        _jitter = jitter;
        _maxAttempts = maxAttempts;
        _random = random ?? (static () => RandomNumberGenerator.GetInt32(1_000_001) / 1_000_000d);
    }

    public static ReconnectBackoff FromOptions(LiveHubClientOptions options) =>
        new(options.EffectiveReconnectDelays, options.ReconnectJitter, options.MaxReconnectAttempts);

    /// <summary>The delay before attempt <paramref name="attempt"/> (0-based), or null when no attempt is left.</summary>
    public TimeSpan? GetDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        if (attempt >= _maxAttempts)
        {
            return null;
        }

        var delay = _delays[Math.Min(attempt, _delays.Count - 1)];
        if (delay <= TimeSpan.Zero || _jitter <= 0)
        {
            return delay;
        }

        var factor = 1 + (_jitter * ((2 * _random()) - 1));
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }
}
