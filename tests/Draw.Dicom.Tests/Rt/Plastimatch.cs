using System.Diagnostics;
using System.Globalization;
using System.Text;
using Draw.Dicom.Rt;

namespace Draw.Dicom.Tests.Rt;

/// <summary>A MetaImage (.mha) as plastimatch writes it: uncompressed, one byte per voxel.</summary>
public sealed record MetaImage(int[] Size, double[] Spacing, double[] Offset, double[] Direction, byte[] Data)
{
    public static MetaImage Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while (true)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', at);
            var line = Encoding.ASCII.GetString(bytes, at, end - at).Trim();
            at = end + 1;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            fields[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            if (line.StartsWith("ElementDataFile", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.Equal("False", fields.GetValueOrDefault("CompressedData", "False"));
        Assert.Equal("MET_UCHAR", fields["ElementType"]);
        static double[] Numbers(string s) => [.. s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture))];
        var size = Numbers(fields["DimSize"]).Select(d => (int)d).ToArray();
        return new MetaImage(size, Numbers(fields["ElementSpacing"]), Numbers(fields["Offset"]), Numbers(fields["TransformMatrix"]), bytes[at..]);
    }

    public VolumeMask ToMask()
    {
        var mask = new VolumeMask(Size[0], Size[1], Size[2]);
        for (var i = 0; i < Data.Length; i++)
        {
            mask.Data[i] = Data[i] != 0 ? (byte)1 : (byte)0;
        }

        return mask;
    }
}

/// <summary>Runs plastimatch (a peer tool) to rasterise an RTSTRUCT on its CT.</summary>
public static class Plastimatch
{
    public static async Task<Dictionary<string, MetaImage>> RasterizeAsync(string rtStruct, string ctFolder, string outputFolder)
    {
        var psi = new ProcessStartInfo("plastimatch")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "convert", "--input", rtStruct, "--referenced-ct", ctFolder, "--output-prefix", outputFolder, "--prefix-format", "mha" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start plastimatch");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"plastimatch failed: {await stderr}{await stdout}");
        return Directory.GetFiles(outputFolder, "*.mha").ToDictionary(f => Path.GetFileNameWithoutExtension(f), MetaImage.Read, StringComparer.Ordinal);
    }
}
