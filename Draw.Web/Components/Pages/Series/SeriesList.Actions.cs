using Draw.Domain.Index;
using Draw.Domain.Users;
using Radzen;

namespace Draw.Web.Components.Pages.Series;

/// <summary>The series page's actions: a template per row, one-click send, multi-select send, retry and cancel.</summary>
public sealed partial class SeriesList
{
    // Per row: the template the user picked (absent: the series' own template); selected rows across pages.
    private readonly Dictionary<long, long?> chosen = [];
    private readonly Dictionary<long, SeriesRow> selected = [];
    private long? bulkTemplate;
    private SeriesCommandSender? sender;

    private SeriesCommandSender Sender => sender ??= new SeriesCommandSender(Contexts, Time, Notifier, Waker);

    private bool AllOnPageSelected => rows.Count > 0 && rows.All(r => selected.ContainsKey(r.Id));

    private long? ChosenTemplate(SeriesRow row) => chosen.TryGetValue(row.Id, out var id) ? id : row.TemplateId;

    private void Choose(SeriesRow row, long? templateId) => chosen[row.Id] = templateId;

    private void Select(SeriesRow row, bool on)
    {
        if (on)
        {
            selected[row.Id] = row;
        }
        else
        {
            selected.Remove(row.Id);
        }
    }

    private void SelectPage(bool on)
    {
        foreach (var row in rows)
        {
            Select(row, on);
        }
    }

    /// <summary>Selected rows keep their latest state (status, sent) when the page reloads.</summary>
    private void RefreshSelected(IEnumerable<SeriesRow> page)
    {
        foreach (var row in page.Where(r => selected.ContainsKey(r.Id)))
        {
            selected[row.Id] = row;
        }
    }

    private async Task SendOneAsync(SeriesRow row)
    {
        if (ChosenTemplate(row) is not { } template)
        {
            Notifications.Notify(NotificationSeverity.Warning, "Choose a template", $"Series of {row.PatientId} has no template yet.");
            return;
        }

        if (row.Sent && await Dialogs.Confirm($"This series was sent before ({row.Status.Display()}). Send it again with {TemplateName(template)}?", "Send again?",
                new ConfirmOptions { OkButtonText = "Send again", CancelButtonText = "Keep" }) != true)
        {
            return;
        }

        await RunAsync(() => Sender.SendAsync(user, [new SendRequest(row.Id, template)], lifetime.Token), "queued for processing");
    }

    private async Task SendSelectedAsync()
    {
        var batch = selected.Values.Select(r => (Row: r, Template: bulkTemplate ?? ChosenTemplate(r))).ToList();
        var missing = batch.Where(b => b.Template is null).Select(b => b.Row.PatientId).ToList();
        if (missing.Count > 0)
        {
            Notifications.Notify(NotificationSeverity.Warning, "Choose a template", $"No template for {missing.Count} selected series ({string.Join(", ", missing.Take(5))}): pick one for all, or one per row.");
            return;
        }

        var again = batch.Count(b => b.Row.Sent);
        if (again > 0 && await Dialogs.Confirm($"{again} of the {batch.Count} selected series were sent before. Send all {batch.Count}?", "Send again?",
                new ConfirmOptions { OkButtonText = "Send again", CancelButtonText = "Keep" }) != true)
        {
            return;
        }

        var result = await RunAsync(() => Sender.SendAsync(user, [.. batch.Select(b => new SendRequest(b.Row.Id, b.Template!.Value))], lifetime.Token), "queued for processing");
        foreach (var id in result?.Queued ?? [])
        {
            selected.Remove(id);
        }
    }

    private Task<SeriesRequestResult?> RetryAsync(SeriesRow row) => RunAsync(() => Sender.RetryAsync(user, [row.Id], lifetime.Token), "queued for a retry");

    private async Task CancelAsync(SeriesRow row)
    {
        if (await Dialogs.Confirm($"Cancel the series of {row.PatientId} ({row.Status.Display()})? A running job stops.", "Cancel series?",
                new ConfirmOptions { OkButtonText = "Cancel series", CancelButtonText = "Keep" }) == true)
        {
            await RunAsync(() => Sender.CancelAsync(user, [row.Id], lifetime.Token), "queued for cancelling");
        }
    }

    /// <summary>Runs a request and says what it queued and what it refused (and why).</summary>
    private async Task<SeriesRequestResult?> RunAsync(Func<Task<SeriesRequestResult>> request, string what)
    {
        try
        {
            var result = await request();
            if (result.Queued.Count > 0)
            {
                Notifications.Notify(NotificationSeverity.Success, $"{result.Queued.Count} series {what}", "Its status changes here as the workers go.");
            }

            if (result.Refused.Count > 0)
            {
                Notifications.Notify(NotificationSeverity.Warning, $"{result.Refused.Count} refused", string.Join("; ", result.Refused.Take(5).Select(r => r.Reason)));
            }

            return result;
        }
        catch (AccessDeniedException ex)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not allowed", ex.Message);
            return null;
        }
    }

    private string TemplateName(long id) => templates.FirstOrDefault(t => t.Id == id)?.Name ?? $"template {id}";
}
