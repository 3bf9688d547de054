using System.Security.Claims;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Domain.Users;
using Draw.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>
/// Export destinations: the list with each one's rules and last delivery, the add/edit form (Admin),
/// enable, delete, and a Test button (Physicist, Admin) whose answer comes from a worker. The list
/// follows destination and export events live.
/// </summary>
public sealed partial class Destinations : IDisposable
{
    private readonly CancellationTokenSource lifetime = new();
    private readonly Dictionary<long, TestOutcome> tests = [];
    private readonly Dictionary<long, DestinationTestRun> runs = [];
    private List<DestinationRow> rows = [];
    private List<DestinationChoice> choices = [];
    private DestinationForm? form;
    private NamingSample sample = NamingSample.MadeUp;
    private ExportRulesSection? rulesSection;
    private ClaimsPrincipal user = new();
    private bool mayEdit;
    private bool mayTest;
    private IDisposable? subscription;

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private LiveEventNotifier Notifier { get; set; } = default!;

    [Inject]
    private WorkerWaker Waker { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private DateTime LocalNow => Time.GetLocalNow().DateTime;

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthenticationState).User;
        mayEdit = RoleAccess.Shows(user, RoleAccess.Admins);
        mayTest = RoleAccess.Shows(user, RoleAccess.Operators);
        await LoadRowsAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = Notifier.Subscribe(TakeAsync);
        }
    }

    // Called on the notifier's thread: everything goes through the circuit's dispatcher.
    private Task TakeAsync(IReadOnlyList<LiveEvent> events) => InvokeAsync(async () =>
    {
        if (events.Any(e => e.Kind is EventKinds.DestinationTested or EventKinds.CommandFailed))
        {
            foreach (var run in runs.Values)
            {
                run.Nudge();
            }
        }

        if (events.Any(e => (e.Kind.StartsWith("destination.", StringComparison.Ordinal) && e.Kind != EventKinds.DestinationTested)
            || e.Kind is EventKinds.ExportDelivered or EventKinds.ExportFailed or EventKinds.ExportRuleSaved or EventKinds.ExportRuleDeleted))
        {
            await ReloadAsync();
        }
    });

    private async Task ReloadAsync()
    {
        await LoadRowsAsync();
        if (rulesSection is not null)
        {
            await rulesSection.ReloadAsync();
        }

        StateHasChanged();
    }

    private async Task LoadRowsAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
        rows = await db.ListRowsAsync(lifetime.Token);
        choices = [.. rows.Select(r => new DestinationChoice(r.View.Id, r.View.Name))];
    }

    private async Task Add(DestinationKind kind)
    {
        await LoadSampleAsync();
        form = DestinationForm.New(kind);
    }

    private async Task EditAsync(DestinationRow row)
    {
        await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
        var destination = await db.FindForEditAsync(row.View.Id, lifetime.Token);
        if (destination is null)
        {
            Notifications.Notify(NotificationSeverity.Warning, "Gone", $"The destination '{row.View.Name}' was removed meanwhile.");
            await LoadRowsAsync();
            return;
        }

        sample = await NamingSample.LoadAsync(db, lifetime.Token);
        form = DestinationForm.From(destination);
    }

    private async Task LoadSampleAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
        sample = await NamingSample.LoadAsync(db, lifetime.Token);
    }

    /// <summary>The editor's Save: null when saved, else the reason (shown in the form).</summary>
    private async Task<string?> SaveAsync(DestinationForm edited)
    {
        var error = await RunAsync(db => db.SaveAsync(Time, user, edited.ToDestination(), lifetime.Token));
        if (error is null)
        {
            Notifications.Notify(NotificationSeverity.Success, "Saved", $"Destination '{edited.Name.Trim()}' saved.");
            form = null;
        }

        return error;
    }

    private async Task SetEnabledAsync(DestinationRow row, bool enabled)
    {
        if (await RunAsync(db => db.SetEnabledAsync(Time, user, row.View.Id, enabled, lifetime.Token)) is { } error)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not changed", error);
        }
    }

    private async Task DeleteAsync(DestinationRow row)
    {
        var warning = row.Rules > 0
            ? $"{row.Rules} export rule(s) send results to '{row.View.Name}'; they are removed with it. Deliveries still waiting for it fail. The ledger keeps its rows. Delete?"
            : $"Delete '{row.View.Name}'? Deliveries still waiting for it fail; the ledger keeps its rows.";
        if (await Dialogs.Confirm(warning, "Delete destination", new ConfirmOptions { OkButtonText = "Delete", CancelButtonText = "Keep" }) != true)
        {
            return;
        }

        if (await RunAsync(db => db.DeleteAsync(Time, user, row.View.Id, lifetime.Token)) is { } error)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not deleted", error);
        }
    }

    /// <summary>Runs one change in its own context, publishes its events, reloads; returns the refusal or validation message, if any.</summary>
    private async Task<string?> RunAsync(Func<DrawDbContext, Task> change)
    {
        try
        {
            await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
            await change(db);
            db.PublishCommitted(Notifier);
            return null;
        }
        catch (Exception ex) when (ex is InvalidDestinationException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
        finally
        {
            await ReloadAsync();
        }
    }

    private async Task TestAsync(DestinationRow row)
    {
        var id = row.View.Id;
        if (runs.ContainsKey(id))
        {
            return;
        }

        DestinationTestRun run;
        try
        {
            await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
            var destination = await db.FindForEditAsync(id, lifetime.Token) ?? throw new InvalidDestinationException($"there is no destination {id}.");
            var command = await db.QueueTestAsync(Time, user, id, lifetime.Token);
            await db.SaveAndPublishAsync(Notifier, lifetime.Token);
            run = new DestinationTestRun(Contexts, Time, command.Id, DestinationTestRun.TimeoutFor(destination));
        }
        catch (Exception ex) when (ex is InvalidDestinationException or UnauthorizedAccessException)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not tested", ex.Message);
            return;
        }

        runs[id] = run;
        tests[id] = new TestOutcome(TestState.Waiting, "Waiting for a worker…", Time.GetUtcNow().UtcDateTime);
        await Waker.WakeAsync(WorkCommandKinds.TestDestination);
        try
        {
            tests[id] = await run.WaitAsync(lifetime.Token);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // The page was closed; the answer stays in the command row.
        }
        finally
        {
            runs.Remove(id);
            run.Dispose();
        }
    }

    public void Dispose()
    {
        subscription?.Dispose();
        lifetime.Cancel();
        lifetime.Dispose();
    }
}
