using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Draw.Testing.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Testing;

/// <summary>Creates dashboard users straight in a test database, through the product's own code.</summary>
public static class TestUsers
{
    public static async Task<string> CreateAsync(TestDatabase database, string userName, string role)
    {
        ArgumentNullException.ThrowIfNull(database);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(database.Options));
        services.AddSingleton(database.DataRoot);
        services.AddDbContext<DrawDbContext>(b => DrawDatabase.Configure(b, database.Options, database.DataRoot));
        services.AddDrawIdentityCore();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(userName, role, userName, "test");
    }
}
