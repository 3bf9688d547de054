using Draw.Domain.Persistence;
using Draw.Domain.Segmentation;
using Draw.Domain.Templates;

namespace Draw.Worker.Pipeline;

/// <summary>Everything a step works with: the tracked job and series, the template, the backend and the job's folder.</summary>
internal sealed class JobContext(DrawDbContext db, SegmentationJob job, Domain.Index.Series series, Template template, ISegmentationBackend backend, string workFolder)
{
    public DrawDbContext Db { get; } = db;

    public SegmentationJob Job { get; } = job;

    public Domain.Index.Series Series { get; } = series;

    public Template Template { get; } = template;

    public ISegmentationBackend Backend { get; } = backend;

    /// <summary>data/work/jobs/ID: everything the job writes lives here until it is done.</summary>
    public string WorkFolder { get; } = workFolder;

    public string DeidentifiedFolder => Path.Combine(WorkFolder, "deidentified");

    public string ReturnedFile => Path.Combine(WorkFolder, "returned", "rtstruct.dcm");

    public string ResultFolder => Path.Combine(WorkFolder, "result");
}

/// <summary>One step of the pipeline. Each is idempotent: what it already produced (recorded on the job) is not produced again.</summary>
internal interface IPipelineStep
{
    JobStep Step { get; }

    Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken);
}
