using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Domain.Index;
using Draw.Domain.Templates;
using Draw.Worker.Backends.Local;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Tests.Pipeline;

/// <summary>End to end with the built-in engine: no server anywhere, real contours beside the images.</summary>
public sealed class LocalEnginePipelineTests
{
    [Theory]
    [MemberData(nameof(Draw.Testing.Database.TestDatabase.Providers), MemberType = typeof(Draw.Testing.Database.TestDatabase))]
    public async Task A_CT_series_gets_body_and_lungs_from_the_local_engine_written_back_beside_it(string provider)
    {
        await using var harness = await PipelineHarness.StartAsync(provider, new Dictionary<string, string?>());
        var seriesId = await harness.IndexLungAsync(40);
        await harness.ChooseTemplateAsync(seriesId, "local", LocalCatalogue.ToJson(), new TemplateDraft
        {
            Name = "Body and lungs (local)",
            Backend = "local",
            Structures = [new StructureChoice(9001, 1, "BODY", "0\\255\\0", "EXTERNAL"), new StructureChoice(9001, 2, "Lung_L"), new StructureChoice(9001, 3, "Lung_R")],
        });

        var status = await harness.RunUntilAsync(seriesId, TimeSpan.FromMinutes(3), SeriesStatus.RtStructureExported, SeriesStatus.FailedTransferToDrawServer, SeriesStatus.InvalidRtStructureReceived, SeriesStatus.DeidentificationFailed, SeriesStatus.RtStructureExportFailed);

        Assert.Equal(SeriesStatus.RtStructureExported, status);
        var written = Assert.Single(Directory.GetFiles(harness.ImagesFolder, "RS_*_DRAW_*.dcm"));
        var structures = RtStructureSet.Read(DicomFile.Open(written).Dataset);
        Assert.Equal(["BODY", "Lung_L", "Lung_R"], structures.Rois.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(structures.Rois, roi => Assert.NotEmpty(roi.Contours));
        Assert.Equal("EXTERNAL", structures.Rois.Single(r => r.Name == "BODY").InterpretedType);
        await using var db = harness.Database.CreateContext();
        Assert.Equal(40, (await db.SegmentationJobs.SingleAsync()).InstanceCount);
    }
}
