using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Work;
using Draw.Worker.Commands;

namespace Draw.Worker.Matching;

/// <summary>"Choose template" from the dashboard: payload {"seriesId": N, "templateId": M}; the user is the command's RequestedBy.</summary>
internal sealed class ChooseTemplateHandler(TimeProvider time) : ICommandHandler
{
    public string Kind => WorkCommandKinds.ChooseTemplate;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var payload = JsonDocument.Parse(command.Payload);
        var seriesId = payload.RootElement.GetProperty("seriesId").GetInt64();
        var templateId = payload.RootElement.GetProperty("templateId").GetInt64();
        await db.ChooseTemplateAsync(time, seriesId, templateId, SeriesDecisionPayload.User(command), cancellationToken);
    }
}

/// <summary>"Cancel": payload {"seriesId": N}.</summary>
internal sealed class CancelSeriesHandler(TimeProvider time) : ICommandHandler
{
    public string Kind => WorkCommandKinds.CancelSeries;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await db.CancelSeriesAsync(time, SeriesDecisionPayload.SeriesId(command), SeriesDecisionPayload.User(command), cancellationToken);
    }
}

/// <summary>"Retry": payload {"seriesId": N}.</summary>
internal sealed class RetrySeriesHandler(TimeProvider time) : ICommandHandler
{
    public string Kind => WorkCommandKinds.RetrySeries;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await db.RetrySeriesAsync(time, SeriesDecisionPayload.SeriesId(command), SeriesDecisionPayload.User(command), cancellationToken);
    }
}

internal static class SeriesDecisionPayload
{
    public static long SeriesId(WorkCommand command)
    {
        using var payload = JsonDocument.Parse(command.Payload);
        return payload.RootElement.GetProperty("seriesId").GetInt64();
    }

    /// <summary>Every manual decision names its user; a command without one is refused.</summary>
    public static string User(WorkCommand command) =>
        string.IsNullOrWhiteSpace(command.RequestedBy) ? throw new SeriesDecisionException("the command does not say which user asked for it") : command.RequestedBy;
}
