using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>How the pipeline retries and waits.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Draw:Pipeline";

    /// <summary>Attempts of one step before the job is parked as failed for a person to retry.</summary>
    public int MaxAttempts { get; set; } = 5;

    public int BackoffBaseSeconds { get; set; } = 10;

    public int BackoffMaxSeconds { get; set; } = 1800;

    /// <summary>How often a submitted task's status is asked.</summary>
    public int PollIntervalSeconds { get; set; } = 15;

    /// <summary>A task not finished after this long is given up (the DRAW client waits 7 days).</summary>
    public int GiveUpAfterHours { get; set; } = 168;

    /// <summary>How often the worker looks for due jobs when nothing wakes it.</summary>
    public int CheckSeconds { get; set; } = 2;
}

public sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Require(bool ok, string key, string problem)
        {
            if (!ok)
            {
                failures.Add(SettingError.Of(PipelineOptions.Section, key, problem));
            }
        }

        Require(options.MaxAttempts is >= 1 and <= 100, nameof(options.MaxAttempts), $"must be from 1 to 100 (got {options.MaxAttempts}).");
        Require(options.BackoffBaseSeconds is >= 1 and <= 3600, nameof(options.BackoffBaseSeconds), $"must be from 1 to 3600 (got {options.BackoffBaseSeconds}).");
        Require(options.BackoffMaxSeconds >= options.BackoffBaseSeconds, nameof(options.BackoffMaxSeconds), $"must be at least BackoffBaseSeconds (got {options.BackoffMaxSeconds}).");
        Require(options.PollIntervalSeconds is >= 1 and <= 3600, nameof(options.PollIntervalSeconds), $"must be from 1 to 3600 (got {options.PollIntervalSeconds}).");
        Require(options.GiveUpAfterHours is >= 1 and <= 24 * 60, nameof(options.GiveUpAfterHours), $"must be from 1 to 1440 hours (got {options.GiveUpAfterHours}).");
        Require(options.CheckSeconds is >= 1 and <= 300, nameof(options.CheckSeconds), $"must be from 1 to 300 (got {options.CheckSeconds}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
