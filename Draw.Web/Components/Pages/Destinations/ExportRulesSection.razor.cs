using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>A destination offered to a new rule.</summary>
public sealed record DestinationChoice(long Id, string Name);

/// <summary>A template offered to a new rule; id 0 stands for "every template" (a global rule).</summary>
public sealed record TemplateChoice(long Id, string Name);

/// <summary>The export rules: listed for everyone, added, enabled and removed by an admin.</summary>
public sealed partial class ExportRulesSection
{
    private IReadOnlyList<ExportRuleView> rules = [];
    private List<TemplateChoice> templateChoices = [];
    private long? newDestination;
    private long newTemplate;

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private LiveEventNotifier Notifier { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Parameter, EditorRequired]
    public IReadOnlyList<DestinationChoice> Destinations { get; set; } = [];

    [Parameter]
    public bool MayEdit { get; set; }

    /// <summary>Rules changed: the page recounts the rules per destination.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    protected override Task OnInitializedAsync() => ReloadAsync();

    public async Task ReloadAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        rules = await db.ListRulesAsync(CancellationToken.None);
        var templates = await db.Templates.AsNoTracking().OrderBy(t => t.Name).Select(t => new TemplateChoice(t.Id, t.Name)).ToListAsync();
        templateChoices = [new TemplateChoice(0, "Every template (global)"), .. templates];
    }

    private Task AddAsync() => RunAsync((db, user) => db.AddRuleAsync(Time, user, newDestination ?? 0, newTemplate == 0 ? null : newTemplate, CancellationToken.None), "Rule added");

    private Task SetEnabledAsync(ExportRuleView rule, bool enabled) =>
        RunAsync((db, user) => db.SetRuleEnabledAsync(Time, user, rule.Id, enabled, CancellationToken.None), enabled ? "Rule enabled" : "Rule disabled");

    private Task RemoveAsync(ExportRuleView rule) => RunAsync((db, user) => db.DeleteRuleAsync(Time, user, rule.Id, CancellationToken.None), "Rule removed");

    private async Task RunAsync(Func<DrawDbContext, System.Security.Claims.ClaimsPrincipal, Task> action, string done)
    {
        var user = (await AuthenticationState).User;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            try
            {
                await action(db, user);
                db.PublishCommitted(Notifier);
                Notifications.Notify(NotificationSeverity.Success, done);
            }
            catch (Exception ex) when (ex is InvalidDestinationException or UnauthorizedAccessException)
            {
                Notifications.Notify(NotificationSeverity.Error, "Not done", ex.Message);
            }
        }

        await ReloadAsync();
        await Changed.InvokeAsync();
    }
}
