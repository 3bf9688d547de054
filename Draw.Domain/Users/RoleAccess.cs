using System.Security.Claims;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Users;

/// <summary>A request was refused: the user is not (or no longer) allowed to do it. The message says why.</summary>
public sealed class AccessDeniedException(string message) : UnauthorizedAccessException(message);

/// <summary>
/// Who may do what. Pages show or hide buttons from the circuit's claims, which were read when the
/// page opened; a role changed or an account disabled since then must still stop the write, so every
/// change asks the database again, here, before it is made.
/// </summary>
public static class RoleAccess
{
    /// <summary>Configuration: templates, rules, destinations, export rules, schedules, users.</summary>
    public static IReadOnlyList<string> Admins { get; } = [DrawRoles.Admin];

    /// <summary>Daily work: send, retry and cancel series, re-export, test destinations.</summary>
    public static IReadOnlyList<string> Operators { get; } = [DrawRoles.Physicist, DrawRoles.Admin];

    /// <summary>Whether to show the controls for an action (the write itself is checked by <see cref="RequireAsync(DrawDbContext, string?, IReadOnlyList{string}, string, CancellationToken)"/>).</summary>
    public static bool Shows(ClaimsPrincipal user, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(roles);
        return user.Identity?.IsAuthenticated == true && roles.Any(user.IsInRole);
    }

    /// <summary>As the string overload, for the signed-in user of a page.</summary>
    public static Task<string> RequireAsync(this DrawDbContext db, ClaimsPrincipal user, IReadOnlyList<string> roles, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return db.RequireAsync(user.Identity?.IsAuthenticated == true ? user.Identity.Name : null, roles, action, cancellationToken);
    }

    /// <summary>
    /// Returns the user's name if the database knows them now as enabled and holding one of
    /// <paramref name="roles"/>; otherwise throws <see cref="AccessDeniedException"/> naming the
    /// <paramref name="action"/> ("send series") and what was missing.
    /// </summary>
    public static async Task<string> RequireAsync(this DrawDbContext db, string? userName, IReadOnlyList<string> roles, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(roles);
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new AccessDeniedException($"no one is signed in: only a signed-in user may {action}");
        }

        var user = await db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => new { u.Id, u.Disabled }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new AccessDeniedException($"{userName} may not {action}: there is no such user");
        if (user.Disabled)
        {
            throw new AccessDeniedException($"{userName} may not {action}: the user is disabled");
        }

        var held = await RolesAsync(db, user.Id, cancellationToken);
        if (!held.Any(roles.Contains))
        {
            var has = held.Count == 0 ? "no role" : string.Join(", ", held);
            throw new AccessDeniedException($"{userName} may not {action}: only {Describe(roles)} may, and {userName} has {has}");
        }

        return userName;
    }

    private static string Describe(IReadOnlyList<string> roles) =>
        string.Join(" or ", roles.Select(r => ("AEIOU".Contains(r[0], StringComparison.Ordinal) ? "an " : "a ") + r));

    private static Task<List<string>> RolesAsync(DrawDbContext db, string userId, CancellationToken cancellationToken) =>
        db.UserRoles.AsNoTracking()
            .Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .OrderBy(n => n)
            .ToListAsync(cancellationToken);
}
