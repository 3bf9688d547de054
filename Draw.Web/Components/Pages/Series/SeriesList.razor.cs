using System.Globalization;
using System.Security.Claims;
using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Draw.Web.Components.Shared;
using Draw.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;
using Radzen.Blazor;


namespace Draw.Web.Components.Pages.Series;

/// <summary>
/// Every indexed series, server-paged: filters by status, modality, study date and template, search by
/// patient, accession or description. Physicists and admins pick a template per row and send in one
/// click, or select rows and send them together (SeriesList.Actions.cs). Rows refresh live when a
/// series changes (coalesced to one reload a second).
/// </summary>
public sealed partial class SeriesList
{
    private static readonly int[] pageSizes = [25, 50, 100];
    private static readonly string[] modalities = ["CT", "MR", "PT"];
    private static readonly IReadOnlyList<StatusChoice> allStatuses =
        [.. Enum.GetValues<SeriesStatus>().Select(s => new StatusChoice(s.Display(), s))];

    private RadzenDataGrid<SeriesRow> grid = default!;
    private IReadOnlyList<SeriesRow> rows = [];
    private List<TemplateChoice> templates = [];
    private int total;
    private IEnumerable<SeriesStatus>? statuses;
    private string? modality;
    private DateTime? from;
    private DateTime? to;
    private long? templateFilter;
    private string? search;
    private LoadDataArgs lastArgs = new() { Skip = 0, Top = 25 };
    private readonly CancellationTokenSource lifetime = new();
    private readonly LatestLoad loads;
    private ReloadThrottle reloads = default!; // needs the injected TimeProvider: made in OnInitializedAsync
    private IDisposable? subscription;
    private ClaimsPrincipal user = new();
    private bool mayDecide;
    private bool isAdmin;

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

    public SeriesList()
    {
        loads = new LatestLoad(lifetime.Token);
    }

    // Radzen raises LoadData for later pages and sorts, not for the first page of a prerendered grid.
    protected override async Task OnInitializedAsync()
    {
        reloads = new ReloadThrottle(TimeSpan.FromSeconds(1), Time, lifetime.Token);
        user = (await AuthenticationState).User;
        mayDecide = RoleAccess.Shows(user, RoleAccess.Operators);
        isAdmin = user.IsInRole(DrawRoles.Admin);
        await LoadTemplatesAsync();
        await LoadAsync(lastArgs);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = Notifier.Subscribe(events =>
                events.Any(e => e.SeriesId is not null || e.Kind.StartsWith("template.", StringComparison.Ordinal)) ? ScheduleReloadAsync() : Task.CompletedTask);
        }
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        lastArgs = args;
        var sort = args.Sorts?.FirstOrDefault();
        var filter = new SeriesFilter
        {
            Statuses = statuses?.ToList(),
            Modality = modality,
            StudyDateFrom = from?.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            StudyDateTo = to?.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            TemplateId = templateFilter,
            Search = search,
            SortBy = sort?.Property ?? nameof(SeriesRow.StatusChangedAt),
            Descending = sort is null || sort.SortOrder == SortOrder.Descending,
            Skip = args.Skip ?? 0,
            Take = args.Top ?? 25,
        };
        await loads.RunAsync(
            async token =>
            {
                await using var db = await Contexts.CreateDbContextAsync(token);
                return await db.PageAsync(filter, token);
            },
            result =>
            {
                rows = result.Rows;
                total = result.Total;
                RefreshSelected(result.Rows);
            });
    }

    private async Task LoadTemplatesAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
        templates = await db.Templates.AsNoTracking().OrderBy(t => t.Name).Select(t => new TemplateChoice(t.Id, t.Name)).ToListAsync(lifetime.Token);
    }

    private Task ReloadAsync() => grid.FirstPage(forceReload: true);

    /// <summary>One reload a second at most, however many series events arrive.</summary>
    private Task ScheduleReloadAsync() => reloads.RequestAsync(() => InvokeAsync(async () =>
    {
        await LoadTemplatesAsync();
        await LoadAsync(lastArgs);
        StateHasChanged();
    }));

    private Task<dynamic?> OpenAsync(SeriesRow row) =>
        Dialogs.OpenSideAsync<SeriesDetail>($"{row.PatientId} · {row.Modality} · {row.Description}", new Dictionary<string, object?> { ["SeriesId"] = row.Id },
            new SideDialogOptions { Width = "48rem", CloseDialogOnOverlayClick = true });

    private static void OnRowRender(RowRenderEventArgs<SeriesRow> args)
    {
        if (args.Data is { } row)
        {
            args.Attributes["data-series-id"] = row.Id;
            args.Attributes["data-status"] = row.Status.ToString();
        }
    }

    private static string FormatDate(string? date) =>
        date is { Length: 8 } ? $"{date[..4]}-{date[4..6]}-{date[6..]}" : date ?? "";

    public void Dispose()
    {
        subscription?.Dispose();
        lifetime.Cancel();
        lifetime.Dispose();
        loads.Dispose();
    }

    private sealed record StatusChoice(string Text, SeriesStatus Value);

    private sealed record TemplateChoice(long Id, string Name);
}
