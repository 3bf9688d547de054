using Draw.Dicom.Core;
using Draw.Dicom.Network.Dimse;

namespace Draw.Cli.Commands;

/// <summary>`draw find`: C-FIND (study root) against a PACS; prints one line per match.</summary>
public sealed class FindCommand : ICommand
{
    public string Name => "find";

    public string Summary => "Query a PACS with C-FIND (study root)";

    public string Usage => "--to HOST:PORT --aet CALLED [--calling-aet CALLING] [--level STUDY|SERIES|IMAGE] [-k Keyword=value]...";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var target = new ClientArgs();
        var identifier = new DicomDataset();
        var level = "STUDY";
        var keys = new List<DicomTag>();
        for (var i = 0; i < args.Length; i++)
        {
            if (NetworkArgs.TryClientOption(args, ref i, target))
            {
                continue;
            }

            switch (args[i])
            {
                case "--level": level = NetworkArgs.Value(args, ref i).ToUpperInvariant(); break;
                case "-k": keys.Add(QueryKeys.Add(identifier, NetworkArgs.Value(args, ref i))); break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }

        identifier.SetString(DicomTags.QueryRetrieveLevel, level);
        foreach (var (tag, _) in QueryKeys.DefaultReturnKeys(level))
        {
            if (!identifier.Contains(tag))
            {
                identifier.SetString(tag, "");
                keys.Add(tag);
            }
        }

        var result = await target.CreateClient().FindAsync(DimseSopClasses.StudyRootFind, identifier, cancellationToken);
        foreach (var match in result.Matches)
        {
            Console.WriteLine(string.Join("  ", keys.Distinct().Select(t => $"{Keyword(t)}={match.GetString(t)?.Trim()}")));
        }

        Console.WriteLine($"{result.Matches.Count} match(es), {result.Status}");
        return result.Status.IsSuccess ? 0 : 1;
    }

    private static string Keyword(DicomTag tag) => DicomDictionary.GetKeyword(tag) is { Length: > 0 } k ? k : tag.ToString();
}

/// <summary>Turns -k Keyword=value (or (gggg,eeee)=value) into identifier elements.</summary>
internal static class QueryKeys
{
    public static DicomTag Add(DicomDataset identifier, string key)
    {
        var eq = key.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? key : key[..eq];
        var value = eq < 0 ? "" : key[(eq + 1)..];
        var tag = DicomTag.TryParse(name, out var parsed) ? parsed
            : DicomDictionary.TryGetTag(name, out var known) ? known
            : throw new UsageException($"unknown attribute '{name}'");
        identifier.SetString(tag, value);
        return tag;
    }

    public static IEnumerable<(DicomTag Tag, string Name)> DefaultReturnKeys(string level) => level switch
    {
        "SERIES" => [(DicomTags.StudyInstanceUID, ""), (DicomTags.SeriesInstanceUID, ""), (DicomTags.Modality, ""), (DicomTags.NumberOfSeriesRelatedInstances, "")],
        "IMAGE" => [(DicomTags.StudyInstanceUID, ""), (DicomTags.SeriesInstanceUID, ""), (DicomTags.SOPInstanceUID, "")],
        _ => [(DicomTags.StudyInstanceUID, ""), (DicomTags.StudyDate, ""), (DicomTags.ModalitiesInStudy, ""), (DicomTags.NumberOfStudyRelatedInstances, "")],
    };
}
