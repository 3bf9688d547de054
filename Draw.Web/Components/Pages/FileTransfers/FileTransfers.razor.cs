using System.Security.Claims;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Domain.Users;
using Draw.Web.Api;
using Draw.Web.Components.Shared;
using Draw.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;
using Radzen.Blazor;


namespace Draw.Web.Components.Pages.FileTransfers;

/// <summary>
/// The export ledger, server-paged, newest first: search, filters, a CSV of exactly the filtered rows,
/// and Re-export (Physicist, Admin). New rows arrive live; bursts of export events make one reload.
/// </summary>
public sealed partial class FileTransfers : IDisposable
{
    private static readonly int[] pageSizes = [25, 50, 100];
    private static readonly LedgerResult[] results = Enum.GetValues<LedgerResult>();

    private readonly CancellationTokenSource lifetime = new();
    private RadzenDataGrid<ExportLedgerEntry> grid = default!;
    private OpenDeliveries? openDeliveries;
    private IReadOnlyList<ExportLedgerEntry> rows = [];
    private IReadOnlyList<DestinationView> destinations = [];
    private int total;
    private string? search;
    private long? destinationId;
    private LedgerResult? result;
    private DateTime? from;
    private DateTime? to;
    private LoadDataArgs lastArgs = new() { Skip = 0, Top = 25 };
    private readonly LatestLoad loads;
    private ReloadThrottle reloads = default!; // needs the injected TimeProvider: made in OnInitializedAsync
    private ClaimsPrincipal user = new();
    private bool maySend;
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

    private string CsvUrl => LedgerCsvEndpoints.Url(Filter);

    /// <summary>The filter of the controls; dates are local days, the "to" day included.</summary>
    private LedgerFilter Filter => new()
    {
        Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        DestinationId = destinationId,
        Result = result,
        From = from is { } f ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(f.Date, DateTimeKind.Unspecified), Time.LocalTimeZone) : null,
        To = to is { } t ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(t.Date.AddDays(1), DateTimeKind.Unspecified), Time.LocalTimeZone) : null,
    };

    public FileTransfers()
    {
        loads = new LatestLoad(lifetime.Token);
    }

    // Radzen raises LoadData for later pages, not for the first page of a prerendered grid.
    protected override async Task OnInitializedAsync()
    {
        reloads = new ReloadThrottle(TimeSpan.FromSeconds(1), Time, lifetime.Token);
        user = (await AuthenticationState).User;
        maySend = RoleAccess.Shows(user, RoleAccess.Operators);
        await using (var db = await Contexts.CreateDbContextAsync(lifetime.Token))
        {
            destinations = await db.ListDestinationsAsync(lifetime.Token);
        }

        await LoadAsync(lastArgs);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = Notifier.Subscribe(events => events.Any(e => e.Kind.StartsWith("export.", StringComparison.Ordinal)) ? ScheduleReloadAsync() : Task.CompletedTask);
        }
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        lastArgs = args;
        var filter = Filter;
        await loads.RunAsync(
            async token =>
            {
                await using var db = await Contexts.CreateDbContextAsync(token);
                return await db.SearchLedgerAsync(filter, args.Skip ?? 0, args.Top ?? 25, token);
            },
            page =>
            {
                rows = page.Entries;
                total = page.Total;
            });
    }

    private Task ReloadAsync() => grid.FirstPage(forceReload: true);

    /// <summary>One reload a second at most, however many export events arrive.</summary>
    private Task ScheduleReloadAsync() => reloads.RequestAsync(() => InvokeAsync(async () =>
    {
        await LoadAsync(lastArgs);
        if (openDeliveries is not null)
        {
            await openDeliveries.ReloadAsync();
        }

        StateHasChanged();
    }));

    private async Task ReexportAsync(ExportLedgerEntry entry)
    {
        var question = $"Send {entry.SopInstanceUid} (patient {entry.PatientId}) to '{entry.DestinationName}' again? It was {entry.Result.ToString().ToLowerInvariant()} there on {entry.ExportedAt.ToLocalTime():yyyy-MM-dd HH:mm}.";
        if (await Dialogs.Confirm(question, "Re-export", new ConfirmOptions { OkButtonText = "Re-export", CancelButtonText = "Cancel" }) != true)
        {
            return;
        }

        try
        {
            await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
            await db.ReexportAsync(Time, user, entry.Id, lifetime.Token);
            await db.SaveAndPublishAsync(Notifier, lifetime.Token);
            await Waker.WakeAsync(EventKinds.ExportRequested);
            Notifications.Notify(NotificationSeverity.Success, "Re-export queued", $"{entry.SopInstanceUid} goes to '{entry.DestinationName}' again.");
        }
        catch (Exception ex) when (ex is InvalidOperationException or UnauthorizedAccessException)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not re-exported", ex.Message);
        }

        if (openDeliveries is not null)
        {
            await openDeliveries.ReloadAsync();
        }
    }

    public void Dispose()
    {
        subscription?.Dispose();
        lifetime.Cancel();
        lifetime.Dispose();
        loads.Dispose();
    }
}
