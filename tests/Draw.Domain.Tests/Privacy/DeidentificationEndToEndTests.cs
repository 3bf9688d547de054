using System.Diagnostics;
using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Draw.Testing;
using Draw.Testing.Database;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Draw.Domain.Tests.Privacy;

public sealed class DeidentificationEndToEndTests(ITestOutputHelper output)
{
    private static string Lung1 => Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001", "test", "data", "ct_images_seg_nsclc", "LUNG1-001");

    private static string Mr => Path.Combine(RepoPaths.DicomSamples, "github-mirp-STS_001-MR_T2", "test", "data", "sts_images_raw", "STS_001", "MR_T2");

    private static DeidentificationService Service(TestDatabase database) =>
        new(database.Factory, Options.Create(new DeidentificationOptions()), database.DataRoot, TimeProvider.System);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LUNG1_and_MR_sets_leave_no_PHI_and_a_second_run_gives_the_same_pseudonyms(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var temp = new TempFolder("draw-deid");
        foreach (var (name, folder, count) in new[] { ("lung1", Lung1, 135), ("mr", Mr, 41) })
        {
            var clock = Stopwatch.StartNew();
            var first = await Service(database).DeidentifyFolderAsync(folder, Path.Combine(temp.Path, name + "-1"), null, CancellationToken.None);
            output.WriteLine($"{provider} {name}: {count} files de-identified and PHI-checked in {clock.ElapsedMilliseconds} ms");
            Assert.Empty(first.Result.Failures);
            Assert.Equal(count, first.Result.Written);
            Assert.True(first.PhiCheck.Clean, string.Join("\n", first.PhiCheck.Findings));
            Assert.True(first.PhiCheck.IdentifyingValues > count);
            first.EnsureSendable();

            var second = await Service(database).DeidentifyFolderAsync(folder, Path.Combine(temp.Path, name + "-2"), null, CancellationToken.None);
            Assert.Equal(first.Result.Files.Select(f => f.SopInstanceUid), second.Result.Files.Select(f => f.SopInstanceUid));
            var a = DicomFile.Open(first.Result.Files[0].OutputPath!).Dataset;
            var b = DicomFile.Open(second.Result.Files[0].OutputPath!).Dataset;
            Assert.Equal(a.GetString(DicomTags.PatientID), b.GetString(DicomTags.PatientID));
            Assert.Equal(a.GetString(DicomTags.StudyDate), b.GetString(DicomTags.StudyDate));
            Assert.Equal(a.GetString(DicomTags.FrameOfReferenceUID), b.GetString(DicomTags.FrameOfReferenceUID));

            // Every reference of the RTSTRUCT resolves inside the de-identified set.
            var files = first.Result.Files.Select(f => DicomFile.Open(f.OutputPath!)).ToList();
            var rt = files.Single(f => f.Dataset.GetString(DicomTags.Modality) == "RTSTRUCT");
            var sops = files.Select(f => f.Dataset.GetString(DicomTags.SOPInstanceUID)).ToHashSet();
            Assert.All(RtStructureSet.Read(rt.Dataset).ReferencedImageUids(), uid => Assert.Contains(uid, sops));
        }
    }

    [Fact]
    public async Task The_PHI_checker_finds_an_identifier_left_in_an_element_and_in_raw_bytes()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        using var temp = new TempFolder("draw-phi");
        var service = Service(database);
        var package = await service.DeidentifyFolderAsync(Lung1, Path.Combine(temp.Path, "out"), null, CancellationToken.None);
        Assert.True(package.PhiCheck.Clean);

        var original = DicomFile.Open(package.Result.Files[0].InputPath).Dataset;
        var leaked = DicomFile.Open(package.Result.Files[0].OutputPath!);
        var nested = new DicomDataset();
        nested.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, original.GetString(DicomTags.SOPInstanceUID)!);
        leaked.Dataset.SetSequence(DicomTags.ReferencedImageSequence, nested);
        leaked.Dataset.SetString(DicomTags.ImageComments, DicomVR.LT, "patient " + original.GetString(DicomTags.PatientID));
        leaked.Dataset.SetBytes(new DicomTag(0x00091010), DicomVR.UN, System.Text.Encoding.ASCII.GetBytes(original.GetString(DicomTags.StudyDate)!));
        leaked.Save(package.Result.Files[0].OutputPath!);

        var report = service.PhiChecker.Check([package.Result.Files[0].InputPath], [package.Result.Files[0].OutputPath!], ConfidentialityOptions.RetainLongitudinalModifiedDates);
        Assert.Contains(report.Findings, f => f.Category == "uid" && f.Location.Contains("(0008,1140)[0]>(0008,1155)", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Category is "id" or "name" && f.Location == "(0020,4000)");
        Assert.Contains(report.Findings, f => f.Category == "date" && f.Location.StartsWith("byte offset", StringComparison.Ordinal));
        Assert.All(report.Findings, f => Assert.StartsWith("~", f.MaskedValue, StringComparison.Ordinal));
        Assert.Throws<PhiCheckFailedException>(() => new DeidentifiedPackage(package.Result, report).EnsureSendable());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_returned_RTSTRUCT_is_reidentified_through_the_database_map(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var temp = new TempFolder("draw-reid");
        var service = Service(database);
        var package = await service.DeidentifyFolderAsync(Lung1, temp.Path, null, CancellationToken.None);
        var rtOut = package.Result.Files.Single(f => f.InputPath.EndsWith("1-1.dcm", StringComparison.Ordinal));
        var ctOut = package.Result.Files.First(f => f != rtOut);
        var returned = DicomFile.Open(rtOut.OutputPath!);
        returned.Dataset.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, DicomUidGenerator.Default.Generate());
        returned.Dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUidGenerator.Default.Generate());
        var deidSeries = DicomFile.Open(ctOut.OutputPath!).Dataset.GetString(DicomTags.SeriesInstanceUID)!;
        var ctOriginal = DicomFile.Open(ctOut.InputPath).Dataset;
        var shift = (await service.Patients.GetAsync([PatientIdentity.From(ctOriginal)], CancellationToken.None)).Values.Single().DateShiftDays;

        var result = await service.CreateReidentifier().ReidentifyAsync(
            new ReidentificationRequest(returned, [deidSeries], OriginalStudyAttributes.From(ctOriginal, shift)), CancellationToken.None);
        Assert.True(result.Accepted, result.Rejection);
        var original = RtStructureSet.Read(DicomFile.Open(rtOut.InputPath).Dataset);
        var back = RtStructureSet.Read(result.File!.Dataset);
        Assert.Equal(original.ReferencedImageUids(), back.ReferencedImageUids());
        Assert.Equal(ctOriginal.GetString(DicomTags.StudyInstanceUID), result.File.Dataset.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(ctOriginal.GetString(DicomTags.PatientID), result.File.Dataset.GetString(DicomTags.PatientID));
        Assert.Equal(ctOriginal.GetString(DicomTags.PatientBirthDate) ?? "", result.File.Dataset.GetString(DicomTags.PatientBirthDate) ?? "");
    }
}
