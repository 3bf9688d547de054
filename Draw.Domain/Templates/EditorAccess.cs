using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Templates;

/// <summary>An edit of templates or rules was refused: the user is not (or no longer) an active Admin.</summary>
public sealed class EditorAccessException(string message) : Exception(message);

/// <summary>
/// Who may change templates and rule groups: an Admin, as the database knows the user now. The
/// dashboard hides the editors' buttons from other roles, but a page opened before a role change
/// still shows them; every write therefore asks the database again.
/// </summary>
public static class EditorAccess
{
    /// <summary>Throws <see cref="EditorAccessException"/> unless <paramref name="userName"/> is an enabled Admin.</summary>
    public static async Task RequireEditorAsync(this DrawDbContext db, string? userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new EditorAccessException("only a signed-in Admin edits templates and rules");
        }

        var user = await db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => new { u.Id, u.Disabled }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new EditorAccessException($"user '{userName}' does not exist; only an Admin edits templates and rules");
        if (user.Disabled)
        {
            throw new EditorAccessException($"user '{userName}' is disabled");
        }

        var roles = await RolesAsync(db, user.Id, cancellationToken);
        if (!roles.Contains(DrawRoles.Admin, StringComparer.Ordinal))
        {
            var current = roles.Count == 0 ? "no role" : string.Join(", ", roles);
            throw new EditorAccessException($"only an Admin edits templates and rules; '{userName}' has {current}");
        }
    }

    /// <summary>Whether the user may edit now (for showing or hiding the editors' buttons).</summary>
    public static async Task<bool> IsEditorAsync(this DrawDbContext db, string? userName, CancellationToken cancellationToken)
    {
        try
        {
            await db.RequireEditorAsync(userName, cancellationToken);
            return true;
        }
        catch (EditorAccessException)
        {
            return false;
        }
    }

    private static Task<List<string>> RolesAsync(DrawDbContext db, string userId, CancellationToken cancellationToken) =>
        db.UserRoles.AsNoTracking()
            .Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .OrderBy(n => n)
            .ToListAsync(cancellationToken);
}
