using System.Security.Cryptography;
using System.Text;
using Draw.Dicom.Anonymization;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Privacy;

/// <summary>
/// Patient pseudonyms in the database: one row per original patient (found by a keyed hash of its identity,
/// so the table holds no identifier in clear), with the pseudonymous ID from the configured pattern and the
/// row's counter, and a date shift drawn once in the configured range. Concurrent creation of the same
/// patient ends with one row (unique key hash; the loser re-reads).
/// </summary>
public sealed class PersistentPatientPseudonymizer(IDbContextFactory<DrawDbContext> contexts, DeidentificationOptions options, byte[] key, TimeProvider time) : IPatientPseudonymizer
{
    private const string Pending = "pending-";

    public async ValueTask<IReadOnlyDictionary<string, PatientPseudonym>> GetAsync(IReadOnlyCollection<PatientIdentity> patients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patients);
        var result = new Dictionary<string, PatientPseudonym>(StringComparer.Ordinal);
        foreach (var patient in patients.DistinctBy(p => p.Key))
        {
            result[patient.Key] = await GetOneAsync(HashKey(patient.Key), cancellationToken);
        }

        return result;
    }

    public string HashKey(string patientKey)
    {
        ArgumentNullException.ThrowIfNull(patientKey);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(patientKey)));
    }

    private async Task<PatientPseudonym> GetOneAsync(string hash, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var row = await db.PatientPseudonyms.FirstOrDefaultAsync(p => p.OriginalKeyHash == hash, cancellationToken);
            if (row is null)
            {
                row = new PatientPseudonymRecord
                {
                    OriginalKeyHash = hash,
                    PseudonymId = Pending + Guid.NewGuid().ToString("N"),
                    PseudonymName = "",
                    DateShiftDays = DateShift.Random(options.DateShiftMinDays, options.DateShiftMaxDays),
                    CreatedAt = time.GetUtcNow().UtcDateTime,
                };
                db.PatientPseudonyms.Add(row);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException) when (attempt < 4)
                {
                    continue;
                }
            }

            if (row.PseudonymId.StartsWith(Pending, StringComparison.Ordinal))
            {
                // The counter is the row id: unique and increasing, known once the row exists.
                row.PseudonymId = options.FormatPatientId(row.Id);
                row.PseudonymName = options.FormatPatientName(row.PseudonymId, row.Id);
                await db.SaveChangesAsync(cancellationToken);
            }

            return new PatientPseudonym(row.PseudonymId, row.PseudonymName, row.DateShiftDays);
        }
    }
}
