using Draw.Domain.Persistence;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;

namespace Draw.Web.Components.Pages.Templates;

/// <summary>
/// Builds or edits a template from the backend's cached catalogue, with the YAML and every problem
/// shown live. Others than Admins see it read-only; a save or delete asks the database for the role again.
/// </summary>
public sealed partial class TemplateEditor
{
    private TemplateForm form = new();
    private Template? saved;
    private string savedName = "";
    private CatalogueBackend? catalogue;
    private IReadOnlyList<CatalogueEntry> entries = [];
    private CatalogueFacets facets = new([], [], [], []);
    private IReadOnlyList<string> backends = [];
    private IReadOnlyList<string> usedBy = [];
    private IReadOnlyList<string> serverErrors = [];
    private TemplatePreview preview = TemplateEditing.Preview(new TemplateDraft { Name = "", Backend = "" }, null);
    private bool loaded;
    private bool notFound;
    private bool canEdit;
    private bool saving;
    private string? userName;

    [Parameter]
    public long? Id { get; set; }

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

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        userName = user.Identity?.Name;
        canEdit = user.IsInRole(DrawRoles.Admin);
        serverErrors = [];
        await using var db = await Contexts.CreateDbContextAsync();
        backends = await db.CachedBackendsAsync(CancellationToken.None);
        if (Id is { } id)
        {
            saved = await db.LoadTemplateAsync(id, CancellationToken.None);
            notFound = saved is null;
            if (saved is not null)
            {
                savedName = saved.Name;
                await LoadCatalogueAsync(db, saved.Backend);
                form = TemplateForm.From(saved, entries);
                usedBy = await db.RuleGroupsUsingAsync(id, CancellationToken.None);
            }
        }
        else
        {
            saved = null;
            // The local engine is always there; a site with a DRAW server usually wants that one.
            var backend = backends.FirstOrDefault(b => b != "local") ?? (backends.Count > 0 ? backends[0] : "");
            await LoadCatalogueAsync(db, backend);
            form = new TemplateForm { Backend = backend };
        }

        Refresh();
        loaded = true;
    }

    private async Task LoadCatalogueAsync(DrawDbContext db, string backend)
    {
        catalogue = await db.CachedCatalogueAsync(backend, CancellationToken.None);
        entries = catalogue is null ? [] : CataloguePicker.Entries(catalogue);
        facets = CataloguePicker.Facets(entries);
    }

    private async Task ChangeBackendAsync(string backend)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        await LoadCatalogueAsync(db, backend);
        form.Backend = backend;
        form.Structures.Clear();
        Refresh();
    }

    private void Refresh() => preview = TemplateEditing.Preview(form.ToDraft(), catalogue, saved);

    private IReadOnlyList<string> Messages(string prefix) =>
        [.. serverErrors.Concat(preview.Errors).Where(e => e.StartsWith(prefix, StringComparison.Ordinal)).Distinct()];

    private void ToggleStructure(CatalogueEntry entry)
    {
        form.Toggle(entry);
        Refresh();
    }

    private async Task SaveAsync()
    {
        saving = true;
        try
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await db.RequireAsync(userName, RoleAccess.Admins, "edit templates and rules", CancellationToken.None);
            var template = await db.SaveTemplateAsync(form.ToDraft(), userName, Time, CancellationToken.None, Id);
            serverErrors = [];
            Notifications.Notify(NotificationSeverity.Success, "Template saved", template.Name);
            if (Id is null)
            {
                Navigation.NavigateTo($"templates/{template.Id}");
            }
            else
            {
                savedName = template.Name;
                saved = await db.LoadTemplateAsync(template.Id, CancellationToken.None);
            }
        }
        catch (TemplateValidationException ex)
        {
            serverErrors = ex.Errors;
            Notifications.Notify(NotificationSeverity.Error, "Not saved", $"{ex.Errors.Count} problem(s); see Problems.");
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
        if (await new TemplateDeletion(Contexts, Dialogs, Notifications, Time).ConfirmAndDeleteAsync(Id!.Value, savedName, userName))
        {
            Navigation.NavigateTo("templates");
        }
    }
}
