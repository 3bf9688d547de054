using Draw.Domain.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Radzen;

namespace Draw.Web.Components.Pages.Admin;

/// <summary>Admin-only user management: create, role, disable, reset password (shown once).</summary>
public sealed partial class Users
{
    private IReadOnlyList<UserSummary> users = [];
    private NewUser newUser = new();

    [Inject]
    private IServiceScopeFactory Scopes { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnInitializedAsync() => ReloadAsync();

    private async Task CreateAsync(NewUser input)
    {
        var password = await RunAsync(admin => admin.CreateAsync(input.UserName.Trim(), input.Role, input.DisplayName, CurrentUser));
        if (password is not null)
        {
            await ShowPasswordAsync(input.UserName.Trim(), password);
            newUser = new NewUser();
        }
    }

    private async Task SetRoleAsync(UserSummary user, string role)
    {
        if (await RunAsync(async admin => { await admin.SetRoleAsync(user.UserName, role, CurrentUser); return "done"; }) is not null)
        {
            Notifications.Notify(NotificationSeverity.Success, "Role changed", $"{user.UserName} is now {role}.");
        }
    }

    private async Task SetDisabledAsync(UserSummary user, bool disabled)
    {
        if (disabled && await Dialogs.Confirm($"Disable {user.UserName}? They are signed out within a minute.", "Disable user") != true)
        {
            return;
        }

        await RunAsync(async admin => { await admin.SetDisabledAsync(user.UserName, disabled, CurrentUser); return "done"; });
    }

    private async Task ResetPasswordAsync(UserSummary user)
    {
        if (await Dialogs.Confirm($"Give {user.UserName} a new password?", "Reset password") != true)
        {
            return;
        }

        var password = await RunAsync(admin => admin.ResetPasswordAsync(user.UserName, CurrentUser));
        if (password is not null)
        {
            await ShowPasswordAsync(user.UserName, password);
        }
    }

    private Task<bool?> ShowPasswordAsync(string userName, string password) =>
        Dialogs.Alert($"The password for {userName} is {password} . It is shown only this once; hand it over securely.", "Password");

    /// <summary>One scope (and one database context) per action; the server checks the role again.</summary>
    private async Task<string?> RunAsync(Func<UserAdministration, Task<string>> action)
    {
        if (!(await AuthenticationState).User.IsInRole(DrawRoles.Admin))
        {
            Notifications.Notify(NotificationSeverity.Error, "Not allowed", "Only an admin manages users.");
            return null;
        }

        try
        {
            await using var scope = Scopes.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<UserAdministration>());
        }
        catch (UserAdministrationException ex)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not done", ex.Message);
            return null;
        }
        finally
        {
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        users = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync();
    }

    private string CurrentUser => AuthenticationState.Result.User.Identity?.Name ?? "unknown";

    private sealed class NewUser
    {
        public string UserName { get; set; } = "";

        public string? DisplayName { get; set; }

        public string Role { get; set; } = DrawRoles.Viewer;
    }
}
