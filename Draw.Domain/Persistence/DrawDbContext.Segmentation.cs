using Draw.Domain.Segmentation;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Persistence;

/// <summary>The pipeline's durable jobs.</summary>
public sealed partial class DrawDbContext
{
    public DbSet<SegmentationJob> SegmentationJobs => Set<SegmentationJob>();
}
