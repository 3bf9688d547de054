using Draw.Domain.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw users ...`: list, create, role, disable, enable, reset-password, ensure-admin.</summary>
internal sealed class UsersCommand : ICommand
{
    public string Name => "users";

    public string Summary => "manage dashboard users (passwords are generated and shown once)";

    public string Usage => "list | create NAME ROLE [DISPLAY NAME] | role NAME ROLE | disable NAME | enable NAME | reset-password NAME | ensure-admin";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            throw new UsageException("say what to do.");
        }

        await using var services = CliServices.Build();
        await using var scope = services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        const string by = "cli";
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var user in await admin.ListAsync())
                    {
                        var state = user.Disabled ? "disabled" : user.LockedOut ? "locked out" : "active";
                        Console.WriteLine($"{user.UserName,-24} {string.Join(",", user.Roles),-10} {state,-10} {user.DisplayName}");
                    }

                    return 0;
                case ["create", var name, var role, .. var display]:
                    var password = await admin.CreateAsync(name, role, display.Length > 0 ? string.Join(' ', display) : null, by);
                    Console.WriteLine($"created {name} ({role}); password: {password}");
                    return 0;
                case ["role", var name, var role]:
                    await admin.SetRoleAsync(name, role, by);
                    Console.WriteLine($"{name} is now {role}");
                    return 0;
                case ["disable", var name]:
                    await admin.SetDisabledAsync(name, true, by);
                    Console.WriteLine($"{name} is disabled");
                    return 0;
                case ["enable", var name]:
                    await admin.SetDisabledAsync(name, false, by);
                    Console.WriteLine($"{name} is enabled");
                    return 0;
                case ["reset-password", var name]:
                    Console.WriteLine($"new password for {name}: {await admin.ResetPasswordAsync(name, by)}");
                    return 0;
                case ["ensure-admin"]:
                    var first = await admin.EnsureFirstAdminAsync();
                    if (first is not null)
                    {
                        Console.WriteLine($"first login: user '{UserAdministration.FirstAdminName}', password '{first}' (shown only this once)");
                    }

                    return 0;
                default:
                    throw new UsageException($"unknown users command '{string.Join(' ', args)}'.");
            }
        }
        catch (UserAdministrationException ex)
        {
            await Console.Error.WriteLineAsync($"draw users: {ex.Message}");
            return 1;
        }
    }
}
