using Draw.Domain.Persistence;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;

namespace Draw.Web.Components.Pages.Templates;

/// <summary>Every template with its models, structure count and the rule groups that use it; Admins create and delete.</summary>
public sealed partial class TemplateList
{
    private IReadOnlyList<TemplateSummary> templates = [];
    private bool canEdit;
    private string? userName;

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

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        userName = user.Identity?.Name;
        canEdit = user.IsInRole(DrawRoles.Admin);
        await ReloadAsync();
    }

    private async Task DeleteAsync(TemplateSummary row)
    {
        if (await new TemplateDeletion(Contexts, Dialogs, Notifications, Time).ConfirmAndDeleteAsync(row.Id, row.Name, userName))
        {
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        templates = await db.ListTemplatesAsync(CancellationToken.None);
    }
}
