using System.Globalization;

namespace Draw.Cli.Commands;

/// <summary>Option parsing shared by the DICOM network commands.</summary>
internal static class NetworkArgs
{
    public static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new UsageException($"{args[i]} needs a value");
        }

        return args[++i];
    }

    public static int Int(string[] args, ref int i)
    {
        var name = args[i];
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"{name} needs a number, not '{text}'");
    }
}
