using Draw.Domain.Persistence;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Radzen;

namespace Draw.Web.Components.Pages.Templates;

/// <summary>
/// Deleting a template from the list or the editor: a template that rule groups use is not deleted
/// (the dialog names them); otherwise the user confirms. The database checks the role again.
/// </summary>
internal sealed class TemplateDeletion(IDbContextFactory<DrawDbContext> contexts, DialogService dialogs, NotificationService notifications, TimeProvider time)
{
    public async Task<bool> ConfirmAndDeleteAsync(long id, string name, string? userName)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var groups = await db.RuleGroupsUsingAsync(id, CancellationToken.None);
        if (groups.Count > 0)
        {
            await dialogs.Alert(
                $"Template '{name}' is used by rule group(s) {string.Join(", ", groups.Select(g => $"'{g}'"))}. It cannot be deleted: delete those rule groups or point them at another template first.",
                "Template in use");
            return false;
        }

        if (await dialogs.Confirm($"Delete template '{name}'? This cannot be undone.", "Delete template", new ConfirmOptions { OkButtonText = "Delete", CancelButtonText = "Keep" }) != true)
        {
            return false;
        }

        try
        {
            await db.RequireAsync(userName, RoleAccess.Admins, "edit templates and rules", CancellationToken.None);
            await db.DeleteTemplateAsync(id, userName, time, CancellationToken.None);
            notifications.Notify(NotificationSeverity.Success, "Template deleted", name);
            return true;
        }
        catch (Exception ex) when (ex is TemplateValidationException or AccessDeniedException or KeyNotFoundException)
        {
            notifications.Notify(NotificationSeverity.Error, "Not deleted", ex is TemplateValidationException invalid ? string.Join("; ", invalid.Errors) : ex.Message);
            return false;
        }
    }
}
