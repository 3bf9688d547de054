using System.IO.Compression;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Settings;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Worker.Health;
using Draw.Worker.Ingest;
using Draw.Worker.Ingest.Uploads;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Tests.Ingest;

public sealed class UploadExtractorTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_normal_zip_is_extracted_into_its_own_folder_and_its_series_is_indexed_from_there(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var slices = Directory.GetFiles(DatastoreTree.LungImages).Order(StringComparer.Ordinal).Take(12).ToList();
        var zip = MakeZip(database, "patient.zip", archive =>
        {
            foreach (var slice in slices)
            {
                archive.CreateEntryFromFile(slice, "LUNG1/CT/" + Path.GetFileName(slice));
            }
        });
        var uploadId = await RecordUploadAsync(database, zip);
        var extractor = Extractor(database);

        Assert.Equal(1, await extractor.ExtractPendingAsync(null, CancellationToken.None));

        await using var db = database.CreateContext();
        var upload = await db.Uploads.SingleAsync(u => u.Id == uploadId);
        Assert.Equal(UploadStatus.Extracted, upload.Status);
        Assert.Equal(12, upload.FilesExtracted);
        Assert.Equal(Path.Combine(extractor.ExtractedRoot, $"upload-{uploadId}"), upload.TargetFolder);
        Assert.Equal(12, Directory.GetFiles(Path.Combine(upload.TargetFolder!, "LUNG1", "CT")).Length);
        Assert.Equal(1, await db.FileOperations.CountAsync(o => o.Kind == FileOperationKind.Extracted));

        // The upload datastore then takes the files, as any datastore would.
        var datastore = await db.SaveAsync(new Datastore { Name = "uploads", Path = extractor.ExtractedRoot, Kind = DatastoreKind.Uploads, QuietPeriodSeconds = 0 }, TimeProvider.System, CancellationToken.None);
        var scanner = new DatastoreScanner(database.Factory, new SeriesIndexer(TimeProvider.System), new WorkerIdentity(), database.DataRoot, new RecordingPublisher(), TimeProvider.System, NullLogger<DatastoreScanner>.Instance);
        Assert.Equal(12, (await scanner.ScanAsync(datastore.Id, CancellationToken.None))!.FilesIndexed);
        Assert.Equal(SeriesSource.Upload, (await db.Series.SingleAsync()).Source);
    }

    public static TheoryData<string, string> HostileZips => new()
    {
        { "zip-slip", "outside the upload folder (zip-slip)" },
        { "absolute", "absolute path" },
        { "symlink", "symbolic link" },
        { "bomb", "zip bomb" },
        { "nested", "itself an archive" },
        { "disguised-nested", "itself an archive" },
        { "duplicate-names", "could not be written" },
        { "not-a-zip", "not a readable zip file" },
    };

    [Theory]
    [MemberData(nameof(HostileZips))]
    public async Task A_hostile_zip_is_refused_with_its_reason_quarantined_and_nothing_is_written_outside(string kind, string reason)
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        var zip = kind == "not-a-zip" ? WriteFile(database, "broken.zip", "this is not a zip"u8.ToArray()) : MakeZip(database, kind + ".zip", archive => AddHostile(archive, kind));
        var uploadId = await RecordUploadAsync(database, zip);
        var extractor = Extractor(database);

        await extractor.ExtractPendingAsync(null, CancellationToken.None);

        await using var db = database.CreateContext();
        var upload = await db.Uploads.SingleAsync(u => u.Id == uploadId);
        Assert.Equal(UploadStatus.Failed, upload.Status);
        Assert.Contains(reason, upload.Error, StringComparison.Ordinal);
        Assert.StartsWith(database.DataRoot.Quarantine, upload.StoredPath, StringComparison.Ordinal);
        Assert.True(File.Exists(upload.StoredPath), "the refused zip is kept in quarantine");
        Assert.False(File.Exists(zip));
        Assert.Empty(Directory.EnumerateFiles(database.DataRoot.Path, "evil*", SearchOption.AllDirectories));
        Assert.False(File.Exists("/tmp/draw-evil-absolute.dcm"));
        Assert.False(Directory.Exists(Path.Combine(extractor.ExtractedRoot, $"upload-{uploadId}")));
        Assert.Empty(Directory.Exists(Path.Combine(database.DataRoot.Path, "uploads", "staging")) ? Directory.GetFileSystemEntries(Path.Combine(database.DataRoot.Path, "uploads", "staging")) : []);
        Assert.Equal(1, await db.FileOperations.CountAsync(o => o.Kind == FileOperationKind.Quarantined));
    }

    private static void AddHostile(ZipArchive archive, string kind)
    {
        void Entry(string name, byte[] content)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(content);
        }

        var dicom = File.ReadAllBytes(Directory.GetFiles(DatastoreTree.LungImages).Order(StringComparer.Ordinal).First());
        Entry("ok/slice.dcm", dicom);
        switch (kind)
        {
            case "zip-slip": Entry("../../evil-slip.dcm", dicom); break;
            case "absolute": Entry("/tmp/draw-evil-absolute.dcm", dicom); break;
            case "symlink":
                var link = archive.CreateEntry("evil-link");
                link.ExternalAttributes = unchecked((int)0xA1FF0000);
                using (var stream = link.Open())
                {
                    stream.Write("/etc/passwd"u8);
                }

                break;
            case "bomb":
                var bomb = archive.CreateEntry("evil-bomb.dcm", CompressionLevel.Optimal);
                using (var stream = bomb.Open())
                {
                    var zeros = new byte[1024 * 1024];
                    for (var i = 0; i < 64; i++)
                    {
                        stream.Write(zeros);
                    }
                }

                break;
            case "nested": Entry("evil-inner.zip", "PK\u0003\u0004rest"u8.ToArray()); break;
            case "disguised-nested": Entry("evil-disguised.dcm", "PK\u0003\u0004rest of an archive"u8.ToArray()); break;
            case "duplicate-names": Entry("ok/slice.dcm", dicom); break;
        }
    }

    private static UploadExtractor Extractor(TestDatabase database) =>
        new(database.Factory, new WorkerIdentity(), database.DataRoot, Options.Create(new IngestOptions()), new RecordingPublisher(), TimeProvider.System, NullLogger<UploadExtractor>.Instance);

    private static string MakeZip(TestDatabase database, string name, Action<ZipArchive> fill)
    {
        var path = Path.Combine(database.DataRoot.Path, "uploads", "incoming", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            fill(archive);
        }

        return path;
    }

    private static string WriteFile(TestDatabase database, string name, byte[] content)
    {
        var path = Path.Combine(database.DataRoot.Path, "uploads", "incoming", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static async Task<long> RecordUploadAsync(TestDatabase database, string zip)
    {
        await using var db = database.CreateContext();
        var upload = new Upload { FileName = Path.GetFileName(zip), StoredPath = zip, SizeBytes = new FileInfo(zip).Length, Status = UploadStatus.Uploaded, UploadedAt = DateTime.UtcNow };
        db.Uploads.Add(upload);
        await db.SaveChangesAsync();
        return upload.Id;
    }
}
