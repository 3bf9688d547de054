using System.IO.Compression;
using System.Security.Cryptography;
using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Index;
using Draw.Domain.Privacy;
using Draw.Domain.Segmentation;
using Draw.Domain.Templates;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>
/// De-identifies the series' instances (those it had when the job began; late ones are not mixed
/// in) into the job folder, refuses to go on if the PHI check finds anything, adds the template's
/// autosegmentation_template.yml, and zips it all flat with its SHA-256.
/// </summary>
internal sealed class PackageStep(DeidentificationService deidentification) : IPipelineStep
{
    public const string TemplateFileName = "autosegmentation_template.yml";

    // The zip is what goes on, and it is flushed to disk before this step's completion is committed. The
    // de-identified files are only its input, read back at once from the page cache: flushing each of them would
    // cost a disk write per file for nothing, since a crash before that commit starts the step over.
    private static readonly FolderDeidentificationOptions ZipInputs = new() { FlushToDisk = false };

    public JobStep Step => JobStep.Package;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        if (job.PackagePath is not null && File.Exists(job.PackagePath) && job.PackageSha256 is not null)
        {
            return StepOutcome.Continue(JobStep.Submit, SeriesStatus.DeidentifiedSuccessfully);
        }

        var files = await context.Db.InstancePathsInOrder(context.Series.Id, includeLate: false).ToListAsync(cancellationToken);
        var missing = files.Where(f => !File.Exists(f)).ToList();
        if (files.Count == 0 || missing.Count > 0)
        {
            return StepOutcome.Fail(files.Count == 0 ? "the series has no instances" : $"{missing.Count} of {files.Count} files are gone, e.g. {Path.GetFileName(missing[0])}", transient: false, SeriesStatus.DeidentificationFailed);
        }

        if (Directory.Exists(context.DeidentifiedFolder))
        {
            Directory.Delete(context.DeidentifiedFolder, recursive: true);
        }

        var package = await deidentification.DeidentifyFilesAsync(files, context.DeidentifiedFolder, job.Backend, cancellationToken, ZipInputs);
        var failed = package.Result.Failures.ToList();
        if (failed.Count > 0)
        {
            return StepOutcome.Fail($"{failed.Count} of {files.Count} files could not be de-identified: {failed[0].Error}", transient: false, SeriesStatus.DeidentificationFailed);
        }

        if (!package.PhiCheck.Clean)
        {
            return StepOutcome.Fail($"the PHI check found {package.PhiCheck.Findings.Count} identifying value(s) in the de-identified files; nothing was sent", transient: false, SeriesStatus.DeidentificationFailed);
        }

        var written = package.Result.Files.Select(f => f.OutputPath!).ToList();
        job.PseudonymousSeriesUid = DicomFile.OpenHeader(written[0]).Dataset.GetString(DicomTags.SeriesInstanceUID);
        await File.WriteAllBytesAsync(Path.Combine(context.DeidentifiedFolder, TemplateFileName), TemplateYaml.WriteBytes(context.Template), cancellationToken);
        var zip = Path.Combine(context.WorkFolder, "package.zip");
        job.PackageSha256 = await ZipFlatAsync(context.DeidentifiedFolder, zip, cancellationToken);
        job.PackagePath = zip;
        job.InstanceCount = files.Count;
        return StepOutcome.Continue(JobStep.Submit, SeriesStatus.DeidentifiedSuccessfully);
    }

    /// <summary>Zips every file of the folder at the zip's root (no folders), then returns its SHA-256.</summary>
    private static async Task<string> ZipFlatAsync(string folder, string zip, CancellationToken cancellationToken)
    {
        var temporary = zip + ".part";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                {
                    archive.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.Fastest);
                }
            }

            // On disk before it takes the final name: a zip that survives a crash under that name is whole.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, zip, overwrite: true);
        await using var read = File.OpenRead(zip);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(read, cancellationToken));
    }
}
