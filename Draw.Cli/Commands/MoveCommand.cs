using Draw.Dicom.Core;
using Draw.Dicom.Network.Client;
using Draw.Dicom.Network.Dimse;

namespace Draw.Cli.Commands;

/// <summary>`draw move`: C-MOVE (study root) from a PACS to a destination AE (e.g. a running `draw listen`).</summary>
public sealed class MoveCommand : ICommand
{
    public string Name => "move";

    public string Summary => "Retrieve from a PACS with C-MOVE (study root) to a destination AE";

    public string Usage => "--to HOST:PORT --aet CALLED --dest DESTINATION_AE [--calling-aet CALLING] [--level STUDY|SERIES|IMAGE] -k Keyword=value...";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var target = new ClientArgs();
        var identifier = new DicomDataset();
        var level = "STUDY";
        string? destination = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (NetworkArgs.TryClientOption(args, ref i, target))
            {
                continue;
            }

            switch (args[i])
            {
                case "--level": level = NetworkArgs.Value(args, ref i).ToUpperInvariant(); break;
                case "--dest": destination = NetworkArgs.Value(args, ref i); break;
                case "-k": QueryKeys.Add(identifier, NetworkArgs.Value(args, ref i)); break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }

        if (destination is null)
        {
            throw new UsageException("--dest DESTINATION_AE is required");
        }

        identifier.SetString(DicomTags.QueryRetrieveLevel, level);
        var progress = new InlineProgress<DicomMoveResult>(p => Console.WriteLine($"  {p.Completed} done, {p.Failed} failed, {p.Remaining} remaining"));
        var result = await target.CreateClient().MoveAsync(DimseSopClasses.StudyRootMove, destination, identifier, progress, cancellationToken);
        Console.WriteLine($"C-MOVE to {destination}: {result.Status}; {result.Completed} completed, {result.Warning} warnings, {result.Failed} failed");
        return result.Status.IsSuccess ? 0 : 1;
    }
}
