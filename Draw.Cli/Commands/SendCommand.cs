using Draw.Dicom.Network.Client;

namespace Draw.Cli.Commands;

/// <summary>`draw send FILES|FOLDER`: C-STORE files to a peer over one association, with progress and a summary.</summary>
public sealed class SendCommand : ICommand
{
    public string Name => "send";

    public string Summary => "Send DICOM files or folders to a peer by C-STORE";

    public string Usage => "FILE|FOLDER... --to HOST:PORT --aet CALLED [--calling-aet CALLING] [--timeout SECONDS] [--quiet] " + TlsArgs.Usage;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var target = new ClientArgs();
        var inputs = new List<string>();
        var quiet = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (NetworkArgs.TryClientOption(args, ref i, target))
            {
                continue;
            }

            if (args[i] == "--quiet")
            {
                quiet = true;
            }
            else if (args[i].StartsWith('-'))
            {
                throw new UsageException($"unknown option '{args[i]}'");
            }
            else
            {
                inputs.Add(args[i]);
            }
        }

        var files = inputs.SelectMany(Expand).ToList();
        if (files.Count == 0)
        {
            throw new UsageException("no FILE or FOLDER with files given");
        }

        var done = 0;
        var progress = new InlineProgress<DicomStoreFileResult>(r =>
        {
            done++;
            if (!r.Succeeded)
            {
                Console.Error.WriteLine($"  failed: {r.Path}: {r.Error ?? r.Status.ToString()}");
            }
            else if (!quiet && (done % 25 == 0 || done == files.Count))
            {
                Console.WriteLine($"  {done}/{files.Count} sent");
            }
        });
        var summary = await target.CreateClient().StoreFilesAsync(files, progress, cancellationToken);
        var seconds = Math.Max(summary.Duration.TotalSeconds, 0.001);
        Console.WriteLine(
            $"sent {summary.Succeeded} ok, {summary.Warnings} with warnings, {summary.Failed} failed; " +
            $"{summary.Bytes / 1e6:0.0} MB in {seconds:0.00} s ({summary.Bytes / 1e6 / seconds:0.0} MB/s, {summary.Files.Count / seconds:0} files/s) over {summary.Associations} association(s)");
        return summary.Failed == 0 ? 0 : 1;
    }

    private static IEnumerable<string> Expand(string input)
    {
        if (Directory.Exists(input))
        {
            return Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal);
        }

        return File.Exists(input) ? [input] : throw new UsageException($"'{input}' is neither a file nor a folder");
    }
}
