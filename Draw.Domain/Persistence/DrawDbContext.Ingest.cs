using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Persistence;

/// <summary>The series index and everything that feeds it.</summary>
public sealed partial class DrawDbContext
{
    public DbSet<Patient> Patients => Set<Patient>();

    public DbSet<Study> Studies => Set<Study>();

    public DbSet<Series> Series => Set<Series>();

    public DbSet<Instance> Instances => Set<Instance>();

    public DbSet<InstanceConflict> InstanceConflicts => Set<InstanceConflict>();

    public DbSet<Datastore> Datastores => Set<Datastore>();

    public DbSet<DatastoreRun> DatastoreRuns => Set<DatastoreRun>();

    public DbSet<ScannedFile> ScannedFiles => Set<ScannedFile>();

    public DbSet<CopiedFolder> CopiedFolders => Set<CopiedFolder>();

    public DbSet<Upload> Uploads => Set<Upload>();

    public DbSet<FileOperation> FileOperations => Set<FileOperation>();

    public DbSet<ListenerAssociation> ListenerAssociations => Set<ListenerAssociation>();
}
