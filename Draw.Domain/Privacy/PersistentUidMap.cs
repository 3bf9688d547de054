using System.Text;
using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Privacy;

/// <summary>
/// The UID map in the database: one row per original, unique in both columns, so it maps both ways and
/// lasts across runs. Pseudonyms are derived with the site's key (<see cref="UidPseudonyms"/>), so two workers
/// mapping the same UID at once compute the same row; the loser of the insert race re-reads and uses the
/// winner's row. A whole batch costs one read and at most one insert.
/// </summary>
public sealed class PersistentUidMap(IDbContextFactory<DrawDbContext> contexts, byte[] key, string root, TimeProvider time) : IUidMapper, IUidReverseMapper
{
    private const int ChunkSize = 500;
    private const int Attempts = 5;

    public async ValueTask<IReadOnlyDictionary<string, string>> MapAsync(IReadOnlyCollection<string> originals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(originals);
        var result = new Dictionary<string, string>(originals.Count, StringComparer.Ordinal);
        var wanted = originals.Distinct(StringComparer.Ordinal).ToList();
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            foreach (var chunk in wanted.Where(w => !result.ContainsKey(w)).Chunk(ChunkSize))
            {
                var found = await db.UidMappings.AsNoTracking().Where(m => chunk.Contains(m.Original)).Select(m => new { m.Original, m.Pseudonym }).ToListAsync(cancellationToken);
                foreach (var f in found)
                {
                    result[f.Original] = f.Pseudonym;
                }
            }

            var missing = wanted.Where(w => !result.ContainsKey(w)).ToList();
            if (missing.Count == 0)
            {
                return result;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var rows = missing.Select(o => new UidMapping
            {
                Original = o,
                // After repeated conflicts the derived pseudonym itself may be taken (a hash collision): draw a random one.
                Pseudonym = attempt < 2 ? UidPseudonyms.Derive(key, o, root) : new DicomUidGenerator(root).Generate(),
                CreatedAt = now,
            }).ToList();
            db.UidMappings.AddRange(rows);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                foreach (var r in rows)
                {
                    result[r.Original] = r.Pseudonym;
                }

                return result;
            }
            catch (DbUpdateException) when (attempt < Attempts - 1)
            {
                // Another worker inserted some of these originals first: read again.
            }
        }
    }

    public async ValueTask<IReadOnlyDictionary<string, string>> FindOriginalsAsync(IReadOnlyCollection<string> pseudonyms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pseudonyms);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in pseudonyms.Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
        {
            var found = await db.UidMappings.AsNoTracking().Where(m => chunk.Contains(m.Pseudonym)).Select(m => new { m.Original, m.Pseudonym }).ToListAsync(cancellationToken);
            foreach (var f in found)
            {
                result[f.Pseudonym] = f.Original;
            }
        }

        return result;
    }

    internal static byte[] KeyFrom(string secret) => Encoding.UTF8.GetBytes(secret);
}
