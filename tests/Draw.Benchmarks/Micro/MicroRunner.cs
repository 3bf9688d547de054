using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Draw.Benchmarks.Harness;

namespace Draw.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet micro-benchmarks in process (no generated project to build: quicker, and
/// no package restore at run time) and returns their figures for the report.</summary>
public static class MicroRunner
{
    public static IReadOnlyList<MicroResult> Run(BenchmarkMode mode, string artifacts)
    {
        var job = (mode == BenchmarkMode.Full ? Job.Default : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<DicomParsingBenchmarks>(config);
        var results = new List<MicroResult>();
        foreach (var report in summary.Reports)
        {
            var stats = report.ResultStatistics;
            if (stats is null)
            {
                continue;
            }

            var items = report.BenchmarkCase.Parameters.Items;
            var input = items.Count > 0 ? items[0].Value?.ToString() ?? "" : "";
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            results.Add(new MicroResult(report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''), input, stats.Mean, stats.StandardDeviation, allocated));
        }

        return results;
    }
}
