using Draw.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Domain.Users;

/// <summary>Identity's rules for DRAW, shared by the dashboard and the CLI.</summary>
public static class IdentitySetup
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static void Configure(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Password.RequiredLength = 12;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
        options.User.RequireUniqueEmail = false;
        options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
    }

    /// <summary>Users and roles on DrawDbContext, without the web's sign-in parts.</summary>
    public static IdentityBuilder AddDrawIdentityCore(this IServiceCollection services)
    {
        services.AddScoped<UserAdministration>();
        return services.AddIdentityCore<DrawUser>(Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DrawDbContext>();
    }
}
