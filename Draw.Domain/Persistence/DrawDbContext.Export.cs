using Draw.Domain.Export;
using Draw.Domain.Export.Harvest;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Persistence;

/// <summary>Export destinations and rules, deliveries, the export ledger, and the harvest route.</summary>
public sealed partial class DrawDbContext
{
    public DbSet<ExportDestination> ExportDestinations => Set<ExportDestination>();

    public DbSet<DestinationNode> DestinationNodes => Set<DestinationNode>();

    public DbSet<ExportRule> ExportRules => Set<ExportRule>();

    public DbSet<ExportDelivery> ExportDeliveries => Set<ExportDelivery>();

    public DbSet<ExportLedgerEntry> ExportLedger => Set<ExportLedgerEntry>();

    public DbSet<HarvestSource> HarvestSources => Set<HarvestSource>();

    public DbSet<HarvestedFile> HarvestedFiles => Set<HarvestedFile>();
}
