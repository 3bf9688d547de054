using System.Text.RegularExpressions;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;

namespace Draw.Testing.FakeDraw;

/// <summary>
/// The fake server's built-in segmentation: reads the headers of the de-identified images it was
/// sent and writes a small valid RTSTRUCT referencing every slice, with one square contour per slice
/// for each structure the template asks for. (The local engine replaces it once merged.)
/// </summary>
public static partial class FakeSegmentation
{
    public const string TemplateFileName = "autosegmentation_template.yml";

    private static readonly RtColor[] Colors =
    [
        new(255, 0, 0), new(0, 255, 0), new(0, 0, 255), new(255, 255, 0), new(255, 0, 255), new(0, 255, 255), new(255, 128, 0), new(128, 0, 255),
    ];

    /// <summary>Writes the RTSTRUCT for the images in <paramref name="folder"/> to <paramref name="outputPath"/>.</summary>
    public static Task MakeRtStructAsync(string folder, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var templatePath = Path.Combine(folder, TemplateFileName);
        var structures = File.Exists(templatePath) ? StructureNames(File.ReadAllText(templatePath)) : [];
        if (structures.Count == 0)
        {
            structures = ["External"];
        }

        var slices = ReadSlices(folder, cancellationToken);
        WriteRtStruct(slices, structures, outputPath);
        return Task.CompletedTask;
    }

    /// <summary>The structure names of a template's model maps (block or flow style), in order.</summary>
    public static List<string> StructureNames(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var names = new List<string>();
        var mapIndent = -1;
        foreach (var raw in yaml.ReplaceLineEndings("\n").Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(raw) || raw.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var indent = raw.Length - raw.TrimStart().Length;
            var line = raw.Trim();
            if (mapIndent >= 0 && indent > mapIndent)
            {
                if (MapEntry().Match(line) is { Success: true } m)
                {
                    names.Add(Unquote(m.Groups[2].Value));
                }

                continue;
            }

            mapIndent = -1;
            if (line.StartsWith("map:", StringComparison.Ordinal))
            {
                var rest = line[4..].Trim();
                if (rest.StartsWith('{'))
                {
                    foreach (var part in rest.Trim('{', '}').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (MapEntry().Match(part) is { Success: true } m)
                        {
                            names.Add(Unquote(m.Groups[2].Value));
                        }
                    }
                }
                else if (rest.Length == 0)
                {
                    mapIndent = indent;
                }
            }
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The images of a folder, sorted along the slice normal; files that are not images are skipped.</summary>
    public static List<DicomFile> ReadSlices(string folder, CancellationToken cancellationToken)
    {
        var slices = new List<DicomFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                var file = DicomFile.OpenHeader(path);
                if (file.Dataset.GetDoubles(DicomTags.ImagePositionPatient).Length == 3 && file.Dataset.GetString(DicomTags.SOPInstanceUID) is { Length: > 0 })
                {
                    slices.Add(file);
                }
            }
            catch (DicomFormatException)
            {
                // Not DICOM.
            }
        }

        if (slices.Count == 0)
        {
            throw new InvalidOperationException("the package holds no images with a position");
        }

        var normal = Normal(slices[0].Dataset);
        return slices.OrderBy(s => Dot(s.Dataset.GetDoubles(DicomTags.ImagePositionPatient), normal)).ToList();
    }

    private static void WriteRtStruct(List<DicomFile> slices, List<string> structures, string outputPath)
    {
        var first = slices[0].Dataset;
        var rt = new DicomDataset();
        foreach (var tag in new[]
                 {
                     DicomTags.SpecificCharacterSet, DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
                     DicomTags.StudyInstanceUID, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.StudyID, DicomTags.AccessionNumber,
                     DicomTags.ReferringPhysicianName,
                 })
        {
            if (first.Find(tag) is { } element and not DicomSequence)
            {
                rt.Add(element);
            }
        }

        foreach (var tag in new[] { DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.StudyID, DicomTags.AccessionNumber, DicomTags.ReferringPhysicianName })
        {
            if (!rt.Contains(tag))
            {
                rt.SetString(tag, "");
            }
        }

        var now = DateTime.UtcNow;
        rt.SetString(DicomTags.SOPClassUID, DicomUids.RTStructureSetStorage);
        rt.SetString(DicomTags.SOPInstanceUID, DicomUidGenerator.Default.Generate());
        rt.SetString(DicomTags.SeriesInstanceUID, DicomUidGenerator.Default.Generate());
        rt.SetString(DicomTags.Modality, "RTSTRUCT");
        rt.SetString(DicomTags.OperatorsName, "");
        rt.SetString(DicomTags.PositionReferenceIndicator, first.GetString(DicomTags.PositionReferenceIndicator) ?? "");
        rt.SetString(DicomTags.Manufacturer, "DRAW fake server");
        rt.SetString(DicomTags.SeriesDescription, "Fake autosegmentation");
        rt.SetIntegerString(DicomTags.SeriesNumber, 901);
        rt.SetIntegerString(DicomTags.InstanceNumber, 1);
        rt.SetDate(DicomTags.StructureSetDate, DateOnly.FromDateTime(now));
        rt.SetTime(DicomTags.StructureSetTime, TimeOnly.FromDateTime(now));

        var frameUid = first.GetString(DicomTags.FrameOfReferenceUID) ?? DicomUidGenerator.Default.Generate();
        rt.SetString(DicomTags.FrameOfReferenceUID, frameUid);
        var images = slices.Select(s => new RtImageReference(s.Dataset.GetString(DicomTags.SOPClassUID) ?? "", s.Dataset.GetString(DicomTags.SOPInstanceUID)!)).ToList();
        var set = new RtStructureSet { Label = "DRAW", Name = "DRAW fake" };
        set.ReferencedFrames.Add(new RtReferencedFrameOfReference(frameUid,
        [
            new RtReferencedStudy(first.GetString(DicomTags.StudyInstanceUID) ?? "", "1.2.840.10008.3.1.2.3.1",
                [new RtReferencedSeries(first.GetString(DicomTags.SeriesInstanceUID) ?? "", images)]),
        ]));

        for (var k = 0; k < structures.Count; k++)
        {
            var roi = new RtRoi
            {
                Number = k + 1,
                Name = structures[k],
                FrameOfReferenceUid = frameUid,
                GenerationAlgorithm = "AUTOMATIC",
                Color = Colors[k % Colors.Length],
                InterpretedType = "ORGAN",
            };
            var scale = 1.0 / (4 + k);
            for (var i = 0; i < slices.Count; i++)
            {
                var contour = new RtContour { GeometricType = "CLOSED_PLANAR", Points = Square(slices[i].Dataset, scale) };
                contour.Images.Add(images[i]);
                roi.Contours.Add(contour);
            }

            set.Rois.Add(roi);
        }

        set.WriteTo(rt);
        var folder = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(folder);
        new DicomFile(rt, DicomTransferSyntax.ExplicitVRLittleEndian).Save(outputPath);
    }

    /// <summary>A square around the image centre, its half side <paramref name="scale"/> of the field of view, in patient coordinates.</summary>
    private static double[] Square(DicomDataset image, double scale)
    {
        var position = image.GetDoubles(DicomTags.ImagePositionPatient);
        var orientation = image.GetDoubles(DicomTags.ImageOrientationPatient);
        if (orientation.Length != 6)
        {
            orientation = [1, 0, 0, 0, 1, 0];
        }

        var spacing = image.GetDoubles(DicomTags.PixelSpacing);
        var rowSpacing = spacing.Length == 2 ? spacing[0] : 1;
        var columnSpacing = spacing.Length == 2 ? spacing[1] : 1;
        var rows = image.GetInt32(DicomTags.Rows) ?? 512;
        var columns = image.GetInt32(DicomTags.Columns) ?? 512;
        var halfColumns = columns * columnSpacing * scale;
        var halfRows = rows * rowSpacing * scale;
        var centreColumn = columns / 2.0 * columnSpacing;
        var centreRow = rows / 2.0 * rowSpacing;
        var points = new List<double>(12);
        foreach (var (dc, dr) in new[] { (-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0) })
        {
            var along = centreColumn + (dc * halfColumns);
            var down = centreRow + (dr * halfRows);
            for (var axis = 0; axis < 3; axis++)
            {
                points.Add(Math.Round(position[axis] + (orientation[axis] * along) + (orientation[3 + axis] * down), 3));
            }
        }

        return [.. points];
    }

    private static double[] Normal(DicomDataset image)
    {
        var o = image.GetDoubles(DicomTags.ImageOrientationPatient);
        return o.Length != 6 ? [0, 0, 1] : [(o[1] * o[5]) - (o[2] * o[4]), (o[2] * o[3]) - (o[0] * o[5]), (o[0] * o[4]) - (o[1] * o[3])];
    }

    private static double Dot(double[] a, double[] b) => a.Length == 3 ? (a[0] * b[0]) + (a[1] * b[1]) + (a[2] * b[2]) : 0;

    private static string Unquote(string value)
    {
        var v = value.Trim();
        return v.Length >= 2 && ((v[0] == '"' && v[^1] == '"') || (v[0] == '\'' && v[^1] == '\'')) ? v[1..^1] : v;
    }

    [GeneratedRegex(@"^(\d+)\s*:\s*(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex MapEntry();
}
