using System.Globalization;
using Draw.Dicom.Core;

namespace Draw.Dicom.Tests.Oracle;

/// <summary>Flattens a DRAW dataset into the same <see cref="DumpEntry"/> lines that <see cref="Dcmdump.Parse"/> produces.</summary>
public static class DatasetFlattener
{
    public static List<DumpEntry> Flatten(DicomDataset dataset)
    {
        var entries = new List<DumpEntry>();
        Flatten(dataset, "", entries);
        return entries;
    }

    private static void Flatten(DicomDataset ds, string prefix, List<DumpEntry> entries)
    {
        // dcmtk keeps the elements of a dataset in tag order whatever the file order; so does this list.
        foreach (var e in ds.OrderBy(e => e.Tag.Value))
        {
            var path = prefix + e.Tag;
            switch (e)
            {
                case DicomSequence sq:
                    entries.Add(new DumpEntry(path, "SQ", null, null));
                    for (var i = 0; i < sq.Items.Count; i++)
                    {
                        var itemPath = $"{path}[{i}]";
                        entries.Add(new DumpEntry(itemPath, "na", null, null));
                        Flatten(sq.Items[i], itemPath + "/", entries);
                    }

                    break;
                case DicomFragmentSequence f:
                    entries.Add(new DumpEntry(path, f.VR.Code(), null, null));
                    entries.Add(new DumpEntry($"{path}{{0}}", "pi", f.OffsetTable.Length, null));
                    for (var i = 0; i < f.Fragments.Count; i++)
                    {
                        entries.Add(new DumpEntry(string.Create(CultureInfo.InvariantCulture, $"{path}{{{i + 1}}}"), "pi", f.Fragments[i].Length, null));
                    }

                    break;
                default:
                    // dcmdump -M does not load values over 4 KB; compare those by length only.
                    var value = e.Length > 4096 ? null : ds.GetString(e);
                    entries.Add(new DumpEntry(path, e.VR.Code(), e.Length, value) { RawUn = e.VR == DicomVR.UN && e.Length <= 4096 ? e.GetBytes().ToArray() : null });
                    break;
            }
        }
    }
}
