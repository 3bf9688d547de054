using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Index;
using Draw.Domain.Segmentation;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>Downloads the result once (a file already downloaded with its checksum is kept) and checks it is an RTSTRUCT.</summary>
internal sealed class DownloadStep : IPipelineStep
{
    public const string RtStructStorage = "1.2.840.10008.5.1.4.1.1.481.3";

    public JobStep Step => JobStep.Download;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        if (job.DownloadPath is null || !File.Exists(job.DownloadPath))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(context.ReturnedFile)!);
            var download = await context.Backend.DownloadAsync(job.TaskId!, context.ReturnedFile, cancellationToken);
            job.DownloadPath = download.Path;
            job.DownloadSha256 = download.Sha256;
        }

        string? problem;
        try
        {
            var dataset = DicomFile.OpenHeader(job.DownloadPath).Dataset;
            problem = dataset.GetString(DicomTags.Modality) != "RTSTRUCT" || dataset.GetString(DicomTags.SOPClassUID) != RtStructStorage
                ? "the returned file is not an RT Structure Set"
                : null;
        }
        catch (DicomFormatException ex)
        {
            problem = $"the returned file is not readable DICOM ({ex.Problem ?? ex.Message})";
        }

        return problem is null
            ? StepOutcome.Continue(JobStep.Reidentify)
            : StepOutcome.Fail(problem, transient: false, SeriesStatus.InvalidRtStructureReceived, resumeAt: JobStep.Submit);
    }
}
