using System.Reflection;

namespace Draw.Testing;

/// <summary>Finds the repository, the shared sample data and the built programs from a test.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared beside the repository (samples, standard tables). Tests fail, never skip, without it.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string DicomSamples => RequireFolder(Path.Combine(Shared, "dicom-samples"));

    /// <summary>The build configuration the tests run in (Debug or Release).</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built dll of one of the programs, e.g. ("Draw.Worker", "Draw.Worker").</summary>
    public static string ProgramDll(string project, string assembly)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built; build Draw.sln in {Configuration} first.", path);
    }

    public static string RequireFolder(string path) =>
        Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"Test data folder missing: {path}");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Draw.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Draw.sln not found above {AppContext.BaseDirectory}");
    }
}
