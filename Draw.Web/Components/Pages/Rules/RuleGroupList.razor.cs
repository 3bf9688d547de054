using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;

namespace Draw.Web.Components.Pages.Rules;

/// <summary>Every rule group with its template and its rulesets' grouping; Admins create, enable and disable.</summary>
public sealed partial class RuleGroupList
{
    private IReadOnlyList<RuleGroupSummary> groups = [];
    private bool canEdit;
    private string? userName;

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        userName = user.Identity?.Name;
        canEdit = user.IsInRole(DrawRoles.Admin);
        await ReloadAsync();
    }

    private async Task SetEnabledAsync(RuleGroupSummary row, bool enabled)
    {
        try
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await db.RequireAsync(userName, RoleAccess.Admins, "edit templates and rules", CancellationToken.None);
            await db.SetRuleGroupEnabledAsync(row.Id, enabled, userName, Time, CancellationToken.None);
            Notifications.Notify(NotificationSeverity.Success, enabled ? "Rule group enabled" : "Rule group disabled", row.Name);
        }
        catch (Exception ex) when (ex is AccessDeniedException or KeyNotFoundException)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not changed", ex.Message);
        }

        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        groups = await db.ListRuleGroupsAsync(CancellationToken.None);
    }
}
