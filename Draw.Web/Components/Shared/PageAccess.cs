using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Shared;

/// <summary>
/// A page's write asks the database whether its user may still do it (<see cref="RoleAccess"/>): the
/// circuit's claims date from when the page opened.
/// </summary>
internal static class PageAccess
{
    /// <summary>The user's name when allowed (the refusal empty); otherwise a null name and the reason to show.</summary>
    public static async Task<(string? UserName, string Refusal)> CheckAccessAsync(
        this IDbContextFactory<DrawDbContext> contexts, Task<AuthenticationState> authentication, IReadOnlyList<string> roles, string action)
    {
        var user = (await authentication).User;
        await using var db = await contexts.CreateDbContextAsync();
        try
        {
            return (await db.RequireAsync(user, roles, action, CancellationToken.None), "");
        }
        catch (AccessDeniedException ex)
        {
            return (null, ex.Message);
        }
    }
}
