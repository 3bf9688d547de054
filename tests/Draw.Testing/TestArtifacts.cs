namespace Draw.Testing;

/// <summary>Where tests leave screenshots and logs: $DRAW_TEST_ARTIFACTS, else a temp folder.</summary>
public static class TestArtifacts
{
    public static string Folder(string name)
    {
        var root = Environment.GetEnvironmentVariable("DRAW_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "draw-test-artifacts");
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
