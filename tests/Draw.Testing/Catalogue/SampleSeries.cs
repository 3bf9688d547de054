using Draw.Dicom.IO;
using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Testing.Catalogue;

/// <summary>
/// Real image series from ../shared/dicom-samples for the template and rule tests, and a quick way
/// to put one into the index (rows pointing at the sample files, which are never modified).
/// </summary>
public static class SampleSeries
{
    /// <summary>TCIA NSCLC-Radiomics LUNG1-001: 134 CT slices, explicit VR (SIEMENS, protocol RCCTPET_THORAX_CONTRAST_dag0).</summary>
    public static string LungCt => RepoPaths.RequireFolder(Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001", "test", "data", "ct_images_seg_nsclc", "LUNG1-001", "image"));

    /// <summary>TCIA STS_001: 40 MR T2 slices, implicit VR, with a De-identification Method Code Sequence of 7 items.</summary>
    public static string SarcomaMr => RepoPaths.RequireFolder(Path.Combine(RepoPaths.DicomSamples, "github-mirp-STS_001-MR_T2", "test", "data", "sts_images_raw", "STS_001", "MR_T2", "image"));

    /// <summary>IBSI CT radiomics phantom: 60 CT slices, implicit VR, no study date.</summary>
    public static string PhantomCt => RepoPaths.RequireFolder(Path.Combine(RepoPaths.DicomSamples, "github-theibsi-ct-radiomics-phantom", "ibsi_1_ct_radiomics_phantom", "dicom", "image"));

    public static string[] Files(string folder) => [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)];

    /// <summary>The header of the slice with Instance Number 1 (LUNG1, STS) or the first file.</summary>
    public static string FirstFile(string folder) => Files(folder)[0];

    /// <summary>
    /// Indexes <paramref name="take"/> files of the folder as one series with the given status
    /// (test setup: no events) and returns the series id.
    /// </summary>
    public static async Task<long> IndexAsync(DrawDbContext db, string folder, int take = 3, SeriesStatus status = SeriesStatus.Unprocessed, IEnumerable<string>? files = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var paths = (files ?? Files(folder)).Take(take).ToList();
        var headers = paths.Select(p => (Path: p, Header: InstanceHeader.From(DicomFile.OpenHeader(p).Dataset))).ToList();
        var first = headers[0].Header;
        var now = DateTime.UtcNow;
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.PatientId == first.PatientId)
            ?? new Patient { PatientId = first.PatientId, Name = first.PatientName, CreatedAt = now };
        var study = await db.Studies.FirstOrDefaultAsync(s => s.StudyInstanceUid == first.StudyInstanceUid)
            ?? new Study { Patient = patient, StudyInstanceUid = first.StudyInstanceUid, CreatedAt = now };
        var series = new Draw.Domain.Index.Series
        {
            Study = study,
            SeriesInstanceUid = first.SeriesInstanceUid,
            Modality = first.Modality,
            Description = first.SeriesDescription,
            FirstArrival = now,
            LastArrival = now,
            Source = SeriesSource.Datastore,
            RootPath = folder,
            QuietPeriodSeconds = 60,
            Status = status,
            StatusChangedAt = now,
            InstanceCount = headers.Count,
        };
        foreach (var (path, header) in headers)
        {
            series.Instances.Add(new Instance
            {
                SopInstanceUid = header.SopInstanceUid,
                InstanceNumber = header.InstanceNumber,
                Path = path,
                Folder = folder,
                FileSize = new FileInfo(path).Length,
                ArrivedAt = now,
            });
        }

        db.Series.Add(series);
        await db.SaveChangesAsync();
        return series.Id;
    }
}
