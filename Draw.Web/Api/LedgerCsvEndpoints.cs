using System.Globalization;
using System.Text;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Api;

/// <summary>
/// GET /api/ledger.csv?search=&amp;destination=&amp;result=&amp;from=&amp;to=: the export ledger under the
/// File transfers page's filter, as CSV (LedgerCsv), streamed row by row from the database. Any
/// signed-in role may download it. The page builds its link with <see cref="Url"/>, and the endpoint
/// reads it back with <see cref="TryParse"/>, so both always mean the same rows.
/// </summary>
internal static class LedgerCsvEndpoints
{
    public const string Path = "/api/ledger.csv";

    public static void MapLedgerCsvEndpoints(this WebApplication app) =>
        app.MapGet(Path, Download).RequireAuthorization(policy => policy.RequireRole(DrawRoles.All));

    /// <summary>The download link of a filter, relative to the app's base (from and to as UTC instants).</summary>
    public static string Url(LedgerFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            query["search"] = filter.Search.Trim();
        }

        if (filter.DestinationId is { } destination)
        {
            query["destination"] = destination.ToString(CultureInfo.InvariantCulture);
        }

        if (filter.Result is { } result)
        {
            query["result"] = result.ToString();
        }

        if (filter.From is { } from)
        {
            query["from"] = from.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
        }

        if (filter.To is { } to)
        {
            query["to"] = to.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
        }

        return QueryHelpers.AddQueryString(Path.TrimStart('/'), query);
    }

    /// <summary>The filter a query string asks for; false with the parameter at fault when a value does not parse.</summary>
    public static bool TryParse(IQueryCollection query, out LedgerFilter filter, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        filter = new LedgerFilter();
        problem = null;
        long? destination = null;
        LedgerResult? result = null;
        DateTime? from = null;
        DateTime? to = null;
        if (query["destination"] is { Count: > 0 } d)
        {
            if (!long.TryParse(d.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                problem = $"destination must be a destination id (got '{d}').";
                return false;
            }

            destination = id;
        }

        if (query["result"] is { Count: > 0 } r)
        {
            if (!Enum.TryParse<LedgerResult>(r.ToString(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                problem = $"result must be one of {string.Join(", ", Enum.GetNames<LedgerResult>())} (got '{r}').";
                return false;
            }

            result = parsed;
        }

        if (!TryInstant(query, "from", ref from, ref problem) || !TryInstant(query, "to", ref to, ref problem))
        {
            return false;
        }

        filter = new LedgerFilter { Search = query["search"].ToString() is { Length: > 0 } s ? s : null, DestinationId = destination, Result = result, From = from, To = to };
        return true;
    }

    private static bool TryInstant(IQueryCollection query, string name, ref DateTime? value, ref string? problem)
    {
        if (query[name] is not { Count: > 0 } text)
        {
            return true;
        }

        if (!DateTime.TryParse(text.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            problem = $"{name} must be an ISO 8601 date and time (got '{text}').";
            return false;
        }

        value = parsed;
        return true;
    }

    private static IResult Download(HttpRequest request, IDbContextFactory<DrawDbContext> contexts, TimeProvider time)
    {
        if (!TryParse(request.Query, out var filter, out var problem))
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        var name = $"draw-ledger-{time.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return Results.Stream(
            async body =>
            {
                var cancellationToken = request.HttpContext.RequestAborted;
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
                await LedgerCsv.WriteAsync(writer, db.Filtered(filter).AsAsyncEnumerable(), cancellationToken);
                await writer.FlushAsync(cancellationToken);
            },
            "text/csv; charset=utf-8",
            name);
    }
}
