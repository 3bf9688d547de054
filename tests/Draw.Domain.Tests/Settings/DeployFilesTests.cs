using System.Diagnostics;
using System.Text.RegularExpressions;
using Draw.Testing;
using YamlDotNet.RepresentationModel;

namespace Draw.Domain.Tests.Settings;

/// <summary>
/// No Docker engine runs here, so the deploy files are checked rather than run: the compose file
/// parses and wires what the Dockerfile builds, every setting they pass is a documented key, the
/// Dockerfile copies only what exists and starts the assemblies the projects build, and systemd
/// accepts the units.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(RepoPaths.Root, "deploy");
    private static readonly string ConfigurationDocs = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "configuration.md"));

    [Fact]
    public void Compose_services_build_existing_targets_and_pass_only_documented_settings()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "docker", "Dockerfile"));
        var root = LoadYaml(Path.Combine(Deploy, "docker", "compose.yaml"));
        var services = (YamlMappingNode)root["services"];
        var declaredVolumes = ((YamlMappingNode)root["volumes"]).Children.Keys.Select(k => k.ToString()).ToHashSet();

        Assert.Contains("worker", services.Children.Keys.Select(k => k.ToString()));
        Assert.Contains("web", services.Children.Keys.Select(k => k.ToString()));
        foreach (var (name, node) in services.Children.Select(kv => (kv.Key.ToString(), (YamlMappingNode)kv.Value)))
        {
            if (node.Children.TryGetValue("build", out var build))
            {
                var target = ((YamlMappingNode)build)["target"].ToString();
                Assert.Matches($@"(?m)^FROM \S+ AS {Regex.Escape(target)}$", dockerfile);
            }

            if (node.Children.TryGetValue("environment", out var environment))
            {
                foreach (var key in ((YamlMappingNode)environment).Children.Keys.Select(k => k.ToString()).Where(k => k.StartsWith("Draw__", StringComparison.Ordinal)))
                {
                    AssertDocumented(key, $"compose service {name}");
                }
            }

            if (node.Children.TryGetValue("volumes", out var volumes))
            {
                foreach (var named in ((YamlSequenceNode)volumes).Children.Select(v => v.ToString().Split(':')[0]).Where(v => !v.StartsWith('.') && !v.StartsWith('/') && !v.StartsWith('$')))
                {
                    Assert.True(declaredVolumes.Contains(named), $"compose service {name} mounts volume '{named}' that is not declared");
                }
            }
        }
    }

    [Fact]
    public void The_sample_environment_file_sets_only_documented_settings()
    {
        var keys = File.ReadAllLines(Path.Combine(Deploy, "draw.env.sample"))
            .Where(l => l.StartsWith("Draw__", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)])
            .ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            AssertDocumented(key, "deploy/draw.env.sample");
        }
    }

    [Fact]
    public void The_dockerfile_copies_existing_folders_and_starts_the_built_assemblies()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "docker", "Dockerfile"));
        var copies = CopyFromContext().Matches(dockerfile).Select(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.NotEmpty(copies);
        foreach (var sources in copies)
        {
            foreach (var source in sources[..^1])
            {
                Assert.True(File.Exists(Path.Combine(RepoPaths.Root, source)) || Directory.Exists(Path.Combine(RepoPaths.Root, source)), $"the Dockerfile copies {source}, which is not in the repository");
            }
        }

        foreach (var (project, assembly) in new[] { ("Draw.Worker", "Draw.Worker"), ("Draw.Web", "Draw.Web"), ("Draw.Cli", "draw") })
        {
            Assert.Contains($"<AssemblyName>{assembly}</AssemblyName>", File.ReadAllText(Path.Combine(RepoPaths.Root, project, project + ".csproj")), StringComparison.Ordinal);
            Assert.Contains($"/{assembly}.dll\"]", dockerfile, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("draw-worker.service")]
    [InlineData("draw-web.service")]
    public void Systemd_accepts_the_units(string unit)
    {
        var path = Path.Combine(Deploy, "systemd", unit);
        using var verify = Process.Start(new ProcessStartInfo("systemd-analyze", ["verify", path]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("systemd-analyze did not start (install systemd)");
        var complaints = verify.StandardError.ReadToEnd() + verify.StandardOutput.ReadToEnd();
        verify.WaitForExit();
        Assert.Equal(0, verify.ExitCode);
        Assert.True(complaints.Trim().Length == 0, $"systemd-analyze verify {unit}: {complaints}");
        Assert.Contains("EnvironmentFile=/etc/draw/draw.env", File.ReadAllText(path), StringComparison.Ordinal);
    }

    private static void AssertDocumented(string environmentKey, string where)
    {
        // Draw__Listener__AllowedPeers__0 is item 0 of the list Draw:Listener:AllowedPeers.
        var key = ListIndex().Replace(environmentKey, "").Replace("__", ":", StringComparison.Ordinal);
        Assert.True(ConfigurationDocs.Contains($"`{key}`", StringComparison.Ordinal), $"{where} sets {environmentKey}, but {key} is not in docs/configuration.md");
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"__\d+$")]
    private static partial Regex ListIndex();

    [GeneratedRegex(@"(?m)^COPY (?!--from)(.+)$")]
    private static partial Regex CopyFromContext();
}
