using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>How new data arrives: the listener's completion rule, zip uploads and their limits.</summary>
public sealed class IngestOptions
{
    public const string Section = "Draw:Ingest";

    /// <summary>A series received over DICOM is complete after this long without a new instance.</summary>
    public int ListenerQuietPeriodSeconds { get; set; } = 60;

    /// <summary>Extracted upload files wait this long before the upload datastore takes them.</summary>
    public int UploadQuietPeriodSeconds { get; set; } = 120;

    /// <summary>How often the upload datastore is scanned.</summary>
    public int UploadScanIntervalSeconds { get; set; } = 30;

    public long UploadMaxBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Extract uploads as soon as they arrive (otherwise a person presses Extract).</summary>
    public bool AutoExtract { get; set; } = true;

    public int ZipMaxEntries { get; set; } = 200_000;

    public long ZipMaxTotalBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    /// <summary>Refuse an entry that expands more than this many times its compressed size (a zip bomb).</summary>
    public int ZipMaxCompressionRatio { get; set; } = 200;

    /// <summary>How often the worker checks whether receiving series have become stable.</summary>
    public int CompletionCheckSeconds { get; set; } = 5;
}

public sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Require(bool ok, string key, string problem)
        {
            if (!ok)
            {
                failures.Add(SettingError.Of(IngestOptions.Section, key, problem));
            }
        }

        Require(options.ListenerQuietPeriodSeconds is >= 1 and <= 86_400, nameof(options.ListenerQuietPeriodSeconds), $"must be from 1 to 86400 seconds (got {options.ListenerQuietPeriodSeconds}).");
        Require(options.UploadQuietPeriodSeconds is >= 0 and <= 86_400, nameof(options.UploadQuietPeriodSeconds), $"must be from 0 to 86400 seconds (got {options.UploadQuietPeriodSeconds}).");
        Require(options.UploadScanIntervalSeconds is >= 5 and <= 86_400, nameof(options.UploadScanIntervalSeconds), $"must be from 5 to 86400 seconds (got {options.UploadScanIntervalSeconds}).");
        Require(options.UploadMaxBytes > 0, nameof(options.UploadMaxBytes), $"must be positive (got {options.UploadMaxBytes}).");
        Require(options.ZipMaxEntries > 0, nameof(options.ZipMaxEntries), $"must be positive (got {options.ZipMaxEntries}).");
        Require(options.ZipMaxTotalBytes > 0, nameof(options.ZipMaxTotalBytes), $"must be positive (got {options.ZipMaxTotalBytes}).");
        Require(options.ZipMaxCompressionRatio >= 2, nameof(options.ZipMaxCompressionRatio), $"must be at least 2 (got {options.ZipMaxCompressionRatio}).");
        Require(options.CompletionCheckSeconds is >= 1 and <= 300, nameof(options.CompletionCheckSeconds), $"must be from 1 to 300 (got {options.CompletionCheckSeconds}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
