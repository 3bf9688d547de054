namespace Draw.Testing;

/// <summary>Polls for something the system under test produces in its own time (a row, an event, a status).</summary>
public static class Eventually
{
    /// <summary>
    /// Calls <paramref name="probe"/> every <paramref name="every"/> until it returns a value, or fails
    /// after <paramref name="timeout"/> with <paramref name="detail"/> (logs, current state) in the message.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, TimeSpan every, Func<Task<string>> detail)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(detail);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(every);
        }

        throw new TimeoutException($"not there within {timeout}: {await detail()}");
    }
}
