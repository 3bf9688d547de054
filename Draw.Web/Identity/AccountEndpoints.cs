using Draw.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace Draw.Web.Identity;

/// <summary>Sign-out (a form post with an antiforgery token).</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost("/account/logout", async (SignInManager<DrawUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        });
    }
}
