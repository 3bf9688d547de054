using System.Globalization;
using System.Security.Claims;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>
/// What the Destinations page's buttons do on the server, each checking the user's role first: the
/// page hides what a role may not use, and these refuse it anyway (a forced button, a stale circuit).
/// Changes go through the domain's administration; the caller commits and publishes.
/// </summary>
internal static class DestinationRequests
{
    public static bool MayEdit(ClaimsPrincipal user) => user.IsInRole(DrawRoles.Admin);

    public static bool MayTest(ClaimsPrincipal user) => user.IsInRole(DrawRoles.Admin) || user.IsInRole(DrawRoles.Physicist);

    public static Task<ExportDestination> SaveAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, ExportDestination destination, CancellationToken cancellationToken)
    {
        RequireEditor(user);
        return db.SaveDestinationAsync(time, destination, NameOf(user), cancellationToken);
    }

    public static Task DeleteAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, CancellationToken cancellationToken)
    {
        RequireEditor(user);
        return db.DeleteDestinationAsync(time, destinationId, NameOf(user), cancellationToken);
    }

    public static async Task SetEnabledAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, bool enabled, CancellationToken cancellationToken)
    {
        RequireEditor(user);
        var destination = await db.ExportDestinations.FirstOrDefaultAsync(d => d.Id == destinationId, cancellationToken)
            ?? throw new InvalidDestinationException($"there is no destination {destinationId}.");
        destination.Enabled = enabled;
        destination.UpdatedAt = time.GetUtcNow().UtcDateTime;
        destination.UpdatedBy = NameOf(user);
        db.Append(time, EventKinds.DestinationSaved, new { name = destination.Name, kind = destination.Kind.ToString(), enabled, by = NameOf(user) });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static Task<ExportRule> AddRuleAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, long? templateId, CancellationToken cancellationToken)
    {
        RequireEditor(user);
        return db.AddRuleAsync(time, destinationId, templateId, NameOf(user), cancellationToken);
    }

    public static Task SetRuleEnabledAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long ruleId, bool enabled, CancellationToken cancellationToken)
    {
        RequireEditor(user);
        return db.SetRuleEnabledAsync(time, ruleId, enabled, NameOf(user), cancellationToken);
    }

    public static Task DeleteRuleAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long ruleId, CancellationToken cancellationToken)
    {
        RequireEditor(user);
        return db.DeleteRuleAsync(time, ruleId, NameOf(user), cancellationToken);
    }

    /// <summary>Queues a "destination.test" for a worker; the caller commits, publishes and wakes the workers.</summary>
    public static async Task<WorkCommand> QueueTestAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, CancellationToken cancellationToken)
    {
        if (!MayTest(user))
        {
            throw new UnauthorizedAccessException("Only a physicist or an admin tests destinations.");
        }

        if (!await db.ExportDestinations.AnyAsync(d => d.Id == destinationId, cancellationToken))
        {
            throw new InvalidDestinationException($"there is no destination {destinationId}.");
        }

        var payload = string.Create(CultureInfo.InvariantCulture, $"{{\"destinationId\":{destinationId}}}");
        return db.Enqueue(time, WorkCommandKinds.TestDestination, NameOf(user), payload);
    }

    private static void RequireEditor(ClaimsPrincipal user)
    {
        if (!MayEdit(user))
        {
            throw new UnauthorizedAccessException("Only an admin changes destinations and export rules.");
        }
    }

    private static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
