using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Json;

namespace Draw.Cli.Commands;

/// <summary>`draw dump FILE...`: a readable dump of DICOM files, or their DICOM JSON model with --json.</summary>
public sealed class DumpCommand : ICommand
{
    public string Name => "dump";

    public string Summary => "Print the elements of DICOM files (or their DICOM JSON model)";

    public string Usage => "[--json] [--header] [--full] FILE...";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var json = false;
        var headerOnly = false;
        var maxChars = 80;
        var files = new List<string>();
        foreach (var a in args)
        {
            switch (a)
            {
                case "--json": json = true; break;
                case "--header": headerOnly = true; break;
                case "--full": maxChars = int.MaxValue; break;
                default:
                    if (a.StartsWith('-'))
                    {
                        throw new UsageException($"unknown option '{a}'");
                    }

                    files.Add(a);
                    break;
            }
        }

        if (files.Count == 0)
        {
            throw new UsageException("no FILE given");
        }

        if (json && files.Count > 1)
        {
            throw new UsageException("--json takes one FILE");
        }

        var exitCode = 0;
        var options = headerOnly ? DicomReadOptions.HeaderOnly : DicomReadOptions.Default;
        foreach (var path in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var file = DicomFile.Open(path, options);
                if (json)
                {
                    using var stdout = Console.OpenStandardOutput();
                    DicomJsonWriter.Write(stdout, file.Dataset);
                    stdout.Write("\n"u8);
                }
                else
                {
                    DicomTextDump.Write(Console.Out, file, maxChars);
                }
            }
            catch (DicomFormatException ex)
            {
                Console.Error.WriteLine($"draw dump: {ex.Message}");
                exitCode = 1;
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"draw dump: {path}: {ex.Message}");
                exitCode = 1;
            }
            catch (UnauthorizedAccessException ex)
            {
                Console.Error.WriteLine($"draw dump: {path}: {ex.Message}");
                exitCode = 1;
            }
        }

        return Task.FromResult(exitCode);
    }
}
