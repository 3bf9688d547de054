using Draw.Domain.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Persistence;

/// <summary>Privacy: the UID map and patient pseudonyms.</summary>
public sealed partial class DrawDbContext
{
    public DbSet<UidMapping> UidMappings => Set<UidMapping>();

    public DbSet<PatientPseudonymRecord> PatientPseudonyms => Set<PatientPseudonymRecord>();
}
