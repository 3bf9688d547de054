using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Testing.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Tests.Users;

public sealed class UserAdministrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_first_admin_is_created_once_with_a_hashed_generated_password(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        var password = await admin.EnsureFirstAdminAsync();
        Assert.NotNull(password);
        Assert.True(password.Length >= 16);
        Assert.Null(await admin.EnsureFirstAdminAsync());

        var users = scope.ServiceProvider.GetRequiredService<UserManager<DrawUser>>();
        var stored = await users.FindByNameAsync("admin");
        Assert.NotNull(stored);
        Assert.DoesNotContain(password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.True(await users.CheckPasswordAsync(stored, password));
        Assert.True(await users.IsInRoleAsync(stored, DrawRoles.Admin));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Disable_reset_and_role_changes_take_effect_and_are_on_the_change_feed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DrawUser>>();
        await admin.EnsureFirstAdminAsync();
        var first = await admin.CreateAsync("physicist1", DrawRoles.Physicist, "P One", "admin");

        await admin.SetDisabledAsync("physicist1", true, "admin");
        var user = (await users.FindByNameAsync("physicist1"))!;
        Assert.True(await users.IsLockedOutAsync(user));
        Assert.True((await admin.ListAsync()).Single(u => u.UserName == "physicist1").Disabled);

        await admin.SetDisabledAsync("physicist1", false, "admin");
        var second = await admin.ResetPasswordAsync("physicist1", "admin");
        user = (await users.FindByNameAsync("physicist1"))!;
        Assert.False(await users.IsLockedOutAsync(user));
        Assert.False(await users.CheckPasswordAsync(user, first));
        Assert.True(await users.CheckPasswordAsync(user, second));

        await admin.SetRoleAsync("physicist1", DrawRoles.Viewer, "admin");
        Assert.Equal([DrawRoles.Viewer], (await admin.ListAsync()).Single(u => u.UserName == "physicist1").Roles);

        await using var db = database.CreateContext();
        var kinds = await db.Events.OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        Assert.Equal(2, kinds.Count(k => k == EventKinds.UserCreated));
        Assert.Equal(4, kinds.Count(k => k == EventKinds.UserChanged));
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_disabled_or_demoted()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        await admin.EnsureFirstAdminAsync();

        var disable = await Assert.ThrowsAsync<UserAdministrationException>(() => admin.SetDisabledAsync("admin", true, "admin"));
        Assert.Contains("last active admin", disable.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UserAdministrationException>(() => admin.SetRoleAsync("admin", DrawRoles.Viewer, "admin"));
        var unknown = await Assert.ThrowsAsync<UserAdministrationException>(() => admin.CreateAsync("x", "Superuser", null, "admin"));
        Assert.Contains("Unknown role", unknown.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(database.Options));
        services.AddSingleton(database.DataRoot);
        services.AddDbContext<DrawDbContext>(b => DrawDatabase.Configure(b, database.Options, database.DataRoot));
        services.AddDrawIdentityCore();
        return services.BuildServiceProvider();
    }
}
