using System.Diagnostics;
using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Xunit.Abstractions;

namespace Draw.Dicom.Tests.Anonymization;

public sealed class DeidentifierTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("draw-deid-").FullName;

    public static string Lung1 => TestFiles.Sample("github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/mask_rtstruct/1-1.dcm")[..^"/mask_rtstruct/1-1.dcm".Length];

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void The_generated_table_holds_PS3_15_Table_E1_1_with_its_options()
    {
        Assert.Equal(620, ConfidentialityProfile.RuleCount);
        var basic = ConfidentialityProfile.For(ConfidentialityOptions.None);
        Assert.Equal(DeidAction.Zero, basic.GetAction(DicomTags.PatientName));
        Assert.Equal(DeidAction.ZeroOrDummy, basic.GetAction(DicomTags.PatientID));
        Assert.Equal(DeidAction.Uid, basic.GetAction(DicomTags.StudyInstanceUID));
        Assert.Equal(DeidAction.Uid, basic.GetAction(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(DeidAction.RemoveOrZeroOrUids, basic.GetAction(DicomTags.ReferencedImageSequence));
        Assert.Equal(DeidAction.Remove, basic.GetAction(new DicomTag(0x60023000)));
        Assert.Equal(DeidAction.None, basic.GetAction(DicomTags.Rows));
        var options = ConfidentialityProfile.For(ConfidentialityOptions.RetainPatientCharacteristics | ConfidentialityOptions.RetainLongitudinalModifiedDates
            | ConfidentialityOptions.CleanDescriptors | ConfidentialityOptions.RetainDeviceIdentity | ConfidentialityOptions.RetainInstitutionIdentity);
        Assert.Equal(DeidAction.Keep, options.GetAction(DicomTags.PatientSex));
        Assert.Equal(DeidAction.Clean, options.GetAction(DicomTags.StudyDate));
        Assert.Equal(DeidAction.Clean, options.GetAction(DicomTags.SeriesDescription));
        Assert.Equal(DeidAction.Keep, options.GetAction(DicomTags.InstitutionName));
        Assert.Equal(DeidAction.Keep, options.GetAction(DicomTags.DeviceSerialNumber));
        // Device identity keeps it, modified dates clean it: the date is shifted.
        Assert.Equal(DeidAction.Clean, options.GetAction(DicomTags.DateOfLastDetectorCalibration));
    }

    [Fact]
    public async Task Actions_apply_recursively_and_private_tags_go()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
        ds.SetString(DicomTags.SOPInstanceUID, "1.2.3.4.5");
        ds.SetString(DicomTags.PatientName, "Doe^John");
        ds.SetString(DicomTags.PatientID, "PID12345");
        ds.SetString(DicomTags.PatientBirthDate, "19600102");
        ds.SetString(DicomTags.PatientSex, "M");
        ds.SetString(DicomTags.StudyDate, "20200315");
        ds.SetString(DicomTags.AcquisitionDateTime, "20200315101112.5");
        ds.SetString(DicomTags.InstitutionName, "General Hospital");
        ds.SetString(DicomTags.SeriesDescription, "Thorax for John Doe");
        ds.SetString(DicomTags.OperatorsName, "Smith^Ann");
        ds.SetString(new DicomTag(0x00091010), DicomVR.LO, "secret");
        ds.SetString(new DicomTag(0x00090010), DicomVR.LO, "ACME");
        var referenced = new DicomDataset();
        referenced.SetString(DicomTags.ReferencedSOPClassUID, DicomUids.CTImageStorage);
        referenced.SetString(DicomTags.ReferencedSOPInstanceUID, "1.2.3.4.6");
        referenced.SetString(DicomTags.ReferencedFrameNumber, DicomVR.IS, "1");
        ds.SetSequence(DicomTags.SourceImageSequence, referenced);
        var person = new DicomDataset();
        person.SetString(DicomTags.PersonName, "Nested^Name");
        person.SetString(DicomTags.ObservationDateTime, "20200316");
        ds.SetSequence(DicomTags.ContentSequence, person);

        var map = new InMemoryUidMap();
        var engine = new Deidentifier(DeidentificationProfile.Default with { Options = DeidentificationProfile.Default.Options | ConfidentialityOptions.CleanDescriptors },
            map, new InMemoryPatientPseudonymizer("SITE-", -10, -10));
        var result = await engine.DeidentifyAsync(new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian), CancellationToken.None);
        var o = result.File.Dataset;

        Assert.Equal("SITE-000001", o.GetString(DicomTags.PatientID));
        Assert.Equal("SITE-000001", o.GetString(DicomTags.PatientName));
        Assert.Equal("", o.GetString(DicomTags.PatientBirthDate));
        Assert.Equal("M", o.GetString(DicomTags.PatientSex));
        Assert.Equal("20200305", o.GetString(DicomTags.StudyDate));
        Assert.Equal("20200305101112.5", o.GetString(DicomTags.AcquisitionDateTime));
        Assert.Equal("DEIDENTIFIED", o.GetString(DicomTags.InstitutionName));
        Assert.Equal("Thorax for", o.GetString(DicomTags.SeriesDescription));
        Assert.Equal("DEIDENTIFIED", o.GetString(DicomTags.OperatorsName));
        Assert.Null(o.Find(new DicomTag(0x00091010)));
        Assert.Null(o.Find(new DicomTag(0x00090010)));
        var mapped = await map.MapAsync(["1.2.3.4.5", "1.2.3.4.6"], CancellationToken.None);
        Assert.Equal(mapped["1.2.3.4.5"], o.GetString(DicomTags.SOPInstanceUID));
        var item = Assert.Single(o.GetItems(DicomTags.SourceImageSequence));
        Assert.Equal(mapped["1.2.3.4.6"], item.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(DicomUids.CTImageStorage, item.GetString(DicomTags.ReferencedSOPClassUID));
        var content = Assert.Single(o.GetItems(DicomTags.ContentSequence));
        Assert.Equal("DEIDENTIFIED", content.GetString(DicomTags.PersonName));
        Assert.Equal("YES", o.GetString(DicomTags.PatientIdentityRemoved));
        Assert.Equal("MODIFIED", o.GetString(DicomTags.LongitudinalTemporalInformationModified));
        Assert.Contains(o.GetItems(DicomTags.DeidentificationMethodCodeSequence), i => i.GetString(DicomTags.CodeValue) == "113100");
        Assert.Contains(o.GetItems(DicomTags.DeidentificationMethodCodeSequence), i => i.GetString(DicomTags.CodeValue) == "113105");
    }

    [Fact]
    public async Task The_LUNG1_set_keeps_every_RTSTRUCT_reference_and_a_second_run_gives_the_same_pseudonyms()
    {
        var map = new InMemoryUidMap(new byte[32]);
        var patients = new InMemoryPatientPseudonymizer();
        var engine = new Deidentifier(DeidentificationProfile.Default, map, patients);
        var first = Path.Combine(_temp, "first");
        var second = Path.Combine(_temp, "second");
        var clock = Stopwatch.StartNew();
        var result = await FolderDeidentifier.DeidentifyFolderAsync(Lung1, first, engine);
        output.WriteLine($"135 files de-identified in {clock.ElapsedMilliseconds} ms");
        Assert.Empty(result.Failures);
        Assert.Equal(135, result.Written);
        var again = await FolderDeidentifier.DeidentifyFolderAsync(Lung1, second, new Deidentifier(DeidentificationProfile.Default, map, patients));
        Assert.Equal(result.Files.Select(f => Path.GetFileName(f.OutputPath)), again.Files.Select(f => Path.GetFileName(f.OutputPath)));

        var files = Directory.GetFiles(first).Select(f => DicomFile.Open(f)).ToList();
        var rt = Assert.Single(files, f => f.Dataset.GetString(DicomTags.Modality) == "RTSTRUCT");
        var images = files.Where(f => f != rt).ToList();
        var sops = images.Select(f => f.Dataset.GetString(DicomTags.SOPInstanceUID)!).ToHashSet();
        var set = RtStructureSet.Read(rt.Dataset);
        Assert.All(set.ReferencedImageUids(), uid => Assert.Contains(uid, sops));
        Assert.Equal(134, set.ReferencedFrames[0].Studies[0].Series[0].Images.Count);
        Assert.Equal(358, set.Rois.Sum(r => r.Contours.Count));
        var frame = Assert.Single(set.ReferencedFrames);
        Assert.All(images, i => Assert.Equal(frame.FrameOfReferenceUid, i.Dataset.GetString(DicomTags.FrameOfReferenceUID)));
        Assert.Equal(images[0].Dataset.GetString(DicomTags.StudyInstanceUID), Assert.Single(frame.Studies).StudyInstanceUid);
        Assert.Equal(images[0].Dataset.GetString(DicomTags.SeriesInstanceUID), Assert.Single(frame.Studies[0].Series).SeriesInstanceUid);
        Assert.All(files, f => Assert.Equal(f.Dataset.GetString(DicomTags.SOPInstanceUID), f.FileMetaInformation.GetString(new DicomTag(0x00020003))));
        Assert.All(files, f => Assert.Equal("DRAW-000001", f.Dataset.GetString(DicomTags.PatientID)));
        // Pixel data travels unchanged.
        var original = DicomFile.Open(result.Files[0].InputPath);
        var copy = DicomFile.Open(result.Files[0].OutputPath!);
        Assert.True(original.Dataset.Find(DicomTags.PixelData)!.GetBytes().Span.SequenceEqual(copy.Dataset.Find(DicomTags.PixelData)!.GetBytes().Span));
    }

    [Fact]
    public async Task Dciodvfy_reports_no_new_errors_on_deidentified_CT_MR_and_RTSTRUCT()
    {
        var engine = new Deidentifier(DeidentificationProfile.Default, new InMemoryUidMap(), new InMemoryPatientPseudonymizer());
        var mr = Path.GetDirectoryName(Path.GetDirectoryName(TestFiles.Sample("github-mirp-STS_001-MR_T2/test/data/sts_images_raw/STS_001/MR_T2/mask/1-1.dcm")))!;
        var inputs = new List<string>();
        foreach (var folder in new[] { Lung1, mr })
        {
            var all = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            inputs.AddRange(all.Where(f => f.Contains("mask", StringComparison.Ordinal)));
            inputs.AddRange(all.Where(f => !f.Contains("mask", StringComparison.Ordinal)).Take(3));
        }

        var result = await FolderDeidentifier.DeidentifyFilesAsync(inputs, _temp, engine);
        Assert.Empty(result.Failures);
        var problems = new List<string>();
        foreach (var f in result.Files)
        {
            var added = (await Dciodvfy.ErrorsAsync(f.OutputPath!)).Except(await Dciodvfy.ErrorsAsync(f.InputPath)).ToList();
            if (added.Count > 0)
            {
                problems.Add($"{TestFiles.Relative(f.InputPath)}: {string.Join(" | ", added)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

internal static class Dciodvfy
{
    public static async Task<HashSet<string>> ErrorsAsync(string path)
    {
        var psi = new ProcessStartInfo("dciodvfy") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return ((await stderr) + "\n" + (await stdout)).Split('\n')
            .Where(l => l.StartsWith("Error", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim(), "<[^>]*>", "<>"))
            .ToHashSet(StringComparer.Ordinal);
    }
}
