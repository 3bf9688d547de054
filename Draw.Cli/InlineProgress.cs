namespace Draw.Cli;

/// <summary>
/// Reports on the reporting thread, in order. <see cref="Progress{T}"/> posts every report to the thread pool
/// (a hand-off per file that a send pays for, and lines that can come after the summary).
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
