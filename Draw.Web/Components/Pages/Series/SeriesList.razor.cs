using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Radzen;
using Radzen.Blazor;

namespace Draw.Web.Components.Pages.Series;

/// <summary>
/// Every indexed series, server-paged: filters by status, modality and study date, search by patient,
/// accession or description. Rows refresh live when a series changes (coalesced to one reload a second).
/// </summary>
public sealed partial class SeriesList
{
    private static readonly int[] pageSizes = [25, 50, 100];
    private static readonly string[] modalities = ["CT", "MR", "PT"];
    private static readonly IReadOnlyList<StatusChoice> allStatuses =
        [.. Enum.GetValues<SeriesStatus>().Select(s => new StatusChoice(s.Display(), s))];

    private RadzenDataGrid<SeriesRow> grid = default!;
    private IReadOnlyList<SeriesRow> rows = [];
    private int total;
    private bool loading;
    private IEnumerable<SeriesStatus>? statuses;
    private string? modality;
    private DateTime? from;
    private DateTime? to;
    private string? search;
    private LoadDataArgs lastArgs = new() { Skip = 0, Top = 25 };
    private CancellationTokenSource? pending;
    private IDisposable? subscription;
    private int reloadScheduled;

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private LiveEventNotifier Notifier { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    // Radzen raises LoadData for later pages and sorts, not for the first page of a prerendered grid.
    protected override Task OnInitializedAsync() => LoadAsync(lastArgs);

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = Notifier.Subscribe(events => events.Any(e => e.SeriesId is not null) ? ScheduleReloadAsync() : Task.CompletedTask);
        }
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        lastArgs = args;
        // A newer load makes an older one irrelevant: cancel it and drop its result.
        if (pending is not null)
        {
            await pending.CancelAsync();
        }

        var mine = pending = new CancellationTokenSource();
        loading = true;
        try
        {
            await using var db = await Contexts.CreateDbContextAsync(mine.Token);
            var sort = args.Sorts?.FirstOrDefault();
            var (page, count) = await db.PageAsync(new SeriesFilter
            {
                Statuses = statuses?.ToList(),
                Modality = modality,
                StudyDateFrom = from?.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
                StudyDateTo = to?.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
                Search = search,
                SortBy = sort?.Property ?? nameof(SeriesRow.StatusChangedAt),
                Descending = sort is null || sort.SortOrder == SortOrder.Descending,
                Skip = args.Skip ?? 0,
                Take = args.Top ?? 25,
            }, mine.Token);
            if (ReferenceEquals(mine, pending))
            {
                rows = page;
                total = count;
            }
        }
        catch (OperationCanceledException) when (mine.IsCancellationRequested)
        {
            // Superseded by a newer load.
        }
        finally
        {
            if (ReferenceEquals(mine, pending))
            {
                loading = false;
            }
        }
    }

    private Task ReloadAsync() => grid.FirstPage(forceReload: true);

    private async Task ScheduleReloadAsync()
    {
        if (Interlocked.Exchange(ref reloadScheduled, 1) == 1)
        {
            return;
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Interlocked.Exchange(ref reloadScheduled, 0);
        await InvokeAsync(async () =>
        {
            await LoadAsync(lastArgs);
            StateHasChanged();
        });
    }

    private Task<dynamic?> OpenAsync(SeriesRow row) =>
        Dialogs.OpenSideAsync<SeriesDetail>($"{row.PatientId} · {row.Modality} · {row.Description}", new Dictionary<string, object?> { ["SeriesId"] = row.Id },
            new SideDialogOptions { Width = "42rem", CloseDialogOnOverlayClick = true });

    private static string FormatDate(string? date) =>
        date is { Length: 8 } ? $"{date[..4]}-{date[4..6]}-{date[6..]}" : date ?? "";

    public void Dispose()
    {
        subscription?.Dispose();
        pending?.Cancel();
        pending?.Dispose();
    }

    private sealed record StatusChoice(string Text, SeriesStatus Value);
}
