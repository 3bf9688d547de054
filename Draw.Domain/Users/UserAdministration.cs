using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Users;

/// <summary>A user as the administration page and the CLI show it.</summary>
public sealed record UserSummary(string Id, string UserName, string? DisplayName, IReadOnlyList<string> Roles, bool Disabled, bool LockedOut, DateTime CreatedAt);

/// <summary>Creating, disabling and resetting users; used by the Users page and `draw users`.</summary>
public sealed class UserAdministration(
    UserManager<DrawUser> users,
    RoleManager<IdentityRole> roles,
    DrawDbContext db,
    TimeProvider time)
{
    public const string FirstAdminName = "admin";

    public async Task EnsureRolesAsync()
    {
        foreach (var role in DrawRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }
    }

    /// <summary>Creates the first admin when no user exists; returns its password, or null if users exist.</summary>
    public async Task<string?> EnsureFirstAdminAsync()
    {
        await EnsureRolesAsync();
        if (await users.Users.AnyAsync())
        {
            return null;
        }

        return await CreateAsync(FirstAdminName, DrawRoles.Admin, "Administrator", requestedBy: "setup");
    }

    /// <summary>Creates a user with one role and a generated password, which is returned once.</summary>
    public async Task<string> CreateAsync(string userName, string role, string? displayName, string requestedBy)
    {
        RequireRole(role);
        await EnsureRolesAsync();
        var user = new DrawUser { UserName = userName, DisplayName = displayName, CreatedAt = time.GetUtcNow().UtcDateTime, LockoutEnabled = true };
        var password = PasswordGenerator.Create();
        Check(await users.CreateAsync(user, password), $"create user {userName}");
        Check(await users.AddToRoleAsync(user, role), $"give {userName} the role {role}");
        await RecordAsync(EventKinds.UserCreated, user, requestedBy, $"role {role}");
        return password;
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        var now = time.GetUtcNow();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync();
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
        {
            var userRoles = await users.GetRolesAsync(user);
            result.Add(new UserSummary(user.Id, user.UserName ?? "", user.DisplayName, [.. userRoles.Order(StringComparer.Ordinal)],
                user.Disabled, !user.Disabled && user.LockoutEnd > now, user.CreatedAt));
        }

        return result;
    }

    public async Task SetRoleAsync(string userName, string role, string requestedBy)
    {
        RequireRole(role);
        var user = await FindAsync(userName);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(DrawRoles.Admin) && role != DrawRoles.Admin)
        {
            await RequireAnotherActiveAdminAsync(user);
        }

        Check(await users.RemoveFromRolesAsync(user, current), $"clear roles of {userName}");
        Check(await users.AddToRoleAsync(user, role), $"give {userName} the role {role}");
        Check(await users.UpdateSecurityStampAsync(user), $"refresh sign-in of {userName}");
        await RecordAsync(EventKinds.UserChanged, user, requestedBy, $"role {role}");
    }

    /// <summary>Disabling locks the account for good and ends its sessions; history stays.</summary>
    public async Task SetDisabledAsync(string userName, bool disabled, string requestedBy)
    {
        var user = await FindAsync(userName);
        if (disabled && (await users.GetRolesAsync(user)).Contains(DrawRoles.Admin))
        {
            await RequireAnotherActiveAdminAsync(user);
        }

        user.Disabled = disabled;
        user.LockoutEnabled = true;
        user.LockoutEnd = disabled ? DateTimeOffset.MaxValue : null;
        user.AccessFailedCount = 0;
        Check(await users.UpdateAsync(user), $"update {userName}");
        Check(await users.UpdateSecurityStampAsync(user), $"end the sessions of {userName}");
        await RecordAsync(EventKinds.UserChanged, user, requestedBy, disabled ? "disabled" : "enabled");
    }

    /// <summary>Sets a new generated password, clears a lockout, and returns the password once.</summary>
    public async Task<string> ResetPasswordAsync(string userName, string requestedBy)
    {
        var user = await FindAsync(userName);
        var password = PasswordGenerator.Create();
        // No token providers here (they need ASP.NET's data protection); remove-then-add is safe
        // because a generated password always passes the password rules.
        Check(await users.RemovePasswordAsync(user), $"clear the password of {userName}");
        Check(await users.AddPasswordAsync(user, password), $"set the password of {userName}");
        if (!user.Disabled)
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }

        await RecordAsync(EventKinds.UserChanged, user, requestedBy, "password reset");
        return password;
    }

    private async Task<DrawUser> FindAsync(string userName) =>
        await users.FindByNameAsync(userName) ?? throw new UserAdministrationException($"No user named '{userName}'.");

    private async Task RequireAnotherActiveAdminAsync(DrawUser user)
    {
        var admins = await users.GetUsersInRoleAsync(DrawRoles.Admin);
        if (!admins.Any(a => a.Id != user.Id && !a.Disabled))
        {
            throw new UserAdministrationException("This is the last active admin; make another user an admin first.");
        }
    }

    private async Task RecordAsync(string kind, DrawUser user, string requestedBy, string change)
    {
        // User names are staff accounts, not patient data; they may appear in the change feed.
        db.Append(time, kind, new { user = user.UserName, by = requestedBy, change });
        await db.SaveChangesAsync();
    }

    private static void RequireRole(string role)
    {
        if (!DrawRoles.All.Contains(role))
        {
            throw new UserAdministrationException($"Unknown role '{role}'; use {string.Join(", ", DrawRoles.All)}.");
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new UserAdministrationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}

public sealed class UserAdministrationException(string message) : Exception(message);
