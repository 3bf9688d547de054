using System.Globalization;
using System.Security.Claims;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>
/// What the Destinations page's buttons do on the server, each checking the user's role in the database
/// first: the page hides what a role may not use, and these refuse it anyway (a forced button, a role
/// changed since the page opened).
/// Changes go through the domain's administration; the caller commits and publishes.
/// </summary>
internal static class DestinationRequests
{
    public static async Task<ExportDestination> SaveAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, ExportDestination destination, CancellationToken cancellationToken)
    {
        var name = await RequireEditorAsync(db, user, cancellationToken);
        return await db.SaveDestinationAsync(time, destination, name, cancellationToken);
    }

    public static async Task DeleteAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, CancellationToken cancellationToken)
    {
        var name = await RequireEditorAsync(db, user, cancellationToken);
        await db.DeleteDestinationAsync(time, destinationId, name, cancellationToken);
    }

    public static async Task SetEnabledAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, bool enabled, CancellationToken cancellationToken)
    {
        var name = await RequireEditorAsync(db, user, cancellationToken);
        var destination = await db.ExportDestinations.FirstOrDefaultAsync(d => d.Id == destinationId, cancellationToken)
            ?? throw new InvalidDestinationException($"there is no destination {destinationId}.");
        destination.Enabled = enabled;
        destination.UpdatedAt = time.GetUtcNow().UtcDateTime;
        destination.UpdatedBy = name;
        db.Append(time, EventKinds.DestinationSaved, new { name = destination.Name, kind = destination.Kind.ToString(), enabled, by = name });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<ExportRule> AddRuleAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, long? templateId, CancellationToken cancellationToken)
    {
        var name = await RequireEditorAsync(db, user, cancellationToken);
        return await db.AddRuleAsync(time, destinationId, templateId, name, cancellationToken);
    }

    public static async Task SetRuleEnabledAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long ruleId, bool enabled, CancellationToken cancellationToken)
    {
        var name = await RequireEditorAsync(db, user, cancellationToken);
        await db.SetRuleEnabledAsync(time, ruleId, enabled, name, cancellationToken);
    }

    public static async Task DeleteRuleAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long ruleId, CancellationToken cancellationToken)
    {
        var name = await RequireEditorAsync(db, user, cancellationToken);
        await db.DeleteRuleAsync(time, ruleId, name, cancellationToken);
    }

    /// <summary>Queues a "destination.test" for a worker; the caller commits, publishes and wakes the workers.</summary>
    public static async Task<WorkCommand> QueueTestAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long destinationId, CancellationToken cancellationToken)
    {
        var name = await db.RequireAsync(user, RoleAccess.Operators, "test destinations", cancellationToken);
        if (!await db.ExportDestinations.AnyAsync(d => d.Id == destinationId, cancellationToken))
        {
            throw new InvalidDestinationException($"there is no destination {destinationId}.");
        }

        var payload = string.Create(CultureInfo.InvariantCulture, $"{{\"destinationId\":{destinationId}}}");
        return db.Enqueue(time, WorkCommandKinds.TestDestination, name, payload);
    }

    private static Task<string> RequireEditorAsync(DrawDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        db.RequireAsync(user, RoleAccess.Admins, "change destinations and export rules", cancellationToken);
}
