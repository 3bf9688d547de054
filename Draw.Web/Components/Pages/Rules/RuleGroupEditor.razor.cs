using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;

namespace Draw.Web.Components.Pages.Rules;

/// <summary>
/// Edits a rule group: rulesets and rules added, removed and reordered, tags picked from the
/// dictionary, operators by VR, values checked inline, the AND/OR grouping drawn, and a Test panel.
/// Others than Admins see it read-only; a save, toggle or delete asks the database for the role again.
/// </summary>
public sealed partial class RuleGroupEditor
{
    private RuleGroupForm form = new();
    private IReadOnlyList<TemplateChoice> templates = [];
    private IReadOnlyList<string> serverErrors = [];
    private string savedName = "";
    private bool loaded;
    private bool notFound;
    private bool canEdit;
    private bool saving;
    private string? userName;

    [Parameter]
    public long? Id { get; set; }

    /// <summary>A template to preselect for a new group (from the template editor's button).</summary>
    [SupplyParameterFromQuery(Name = "template")]
    public long? PreselectTemplate { get; set; }

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private string GroupExpression =>
        RuleEditing.Grouping([.. form.RuleSets.Select((s, i) => $"[{(string.IsNullOrWhiteSpace(s.Name) ? $"ruleset {i + 1}" : s.Name)}]")], [.. form.RuleSets.Select(s => s.Join)]);

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        userName = user.Identity?.Name;
        canEdit = user.IsInRole(DrawRoles.Admin);
        serverErrors = [];
        await using var db = await Contexts.CreateDbContextAsync();
        templates = [.. (await db.ListTemplatesAsync(CancellationToken.None)).Select(t => new TemplateChoice(t.Id, t.Name))];
        if (Id is { } id)
        {
            var group = await db.LoadRuleGroupAsync(id, CancellationToken.None);
            notFound = group is null;
            if (group is not null)
            {
                form = RuleGroupForm.From(group.ToDraft());
                savedName = group.Name;
            }
        }
        else
        {
            form = RuleGroupForm.New(PreselectTemplate ?? (templates.Count == 1 ? templates[0].Id : null));
        }

        loaded = true;
    }

    private void RuleSetAction(RuleSetForm set, int what)
    {
        if (what == 0)
        {
            form.RuleSets.Remove(set);
        }
        else
        {
            RuleGroupForm.Move(form.RuleSets, set, what);
        }
    }

    // The Test panel runs the group as edited, even before it has a name.
    private RuleGroupDraft TestDraft() =>
        form.ToDraft() with { Name = string.IsNullOrWhiteSpace(form.Name) ? "unsaved group" : form.Name };

    private async Task SaveAsync()
    {
        saving = true;
        try
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await db.RequireAsync(userName, RoleAccess.Admins, "edit templates and rules", CancellationToken.None);
            var group = await db.SaveRuleGroupAsync(form.ToDraft(), userName, Time, CancellationToken.None, Id);
            serverErrors = [];
            savedName = group.Name;
            Notifications.Notify(NotificationSeverity.Success, "Rule group saved", group.Name);
            if (Id is null)
            {
                Navigation.NavigateTo($"rules/{group.Id}");
            }
        }
        catch (RuleValidationException ex)
        {
            serverErrors = ex.Errors;
            Notifications.Notify(NotificationSeverity.Error, "Not saved", $"{ex.Errors.Count} problem(s); see the messages.");
        }
        catch (AccessDeniedException ex)
        {
            serverErrors = [ex.Message];
            Notifications.Notify(NotificationSeverity.Error, "Not allowed", ex.Message);
        }
        finally
        {
            saving = false;
        }
    }

    private async Task DeleteAsync()
    {
        if (await Dialogs.Confirm($"Delete rule group '{savedName}'? Series it already decided keep their template.", "Delete rule group",
                new ConfirmOptions { OkButtonText = "Delete", CancelButtonText = "Keep" }) != true)
        {
            return;
        }

        try
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await db.RequireAsync(userName, RoleAccess.Admins, "edit templates and rules", CancellationToken.None);
            await db.DeleteRuleGroupAsync(Id!.Value, userName, Time, CancellationToken.None);
            Notifications.Notify(NotificationSeverity.Success, "Rule group deleted", savedName);
            Navigation.NavigateTo("rules");
        }
        catch (Exception ex) when (ex is AccessDeniedException or KeyNotFoundException)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not deleted", ex.Message);
        }
    }

    private sealed record TemplateChoice(long Id, string Name);
}
