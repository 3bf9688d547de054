using Draw.Web.Hosting;

namespace Draw.Web.Tests.Hosting;

public sealed class BlazorScriptTests
{
    [Fact]
    public void The_client_script_is_extracted_from_the_copied_assembly()
    {
        var script = BlazorScript.ExtractFrom(Path.Combine(AppContext.BaseDirectory, BlazorScript.SourceFile));
        var text = System.Text.Encoding.UTF8.GetString(script);

        Assert.True(script.Length > 100_000, $"script is only {script.Length} bytes");
        Assert.StartsWith("!function(){", text, StringComparison.Ordinal);
        Assert.Contains("Blazor", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_the_resource_is_refused_with_its_name()
    {
        var other = typeof(BlazorScriptTests).Assembly.Location;
        var error = Assert.Throws<InvalidDataException>(() => BlazorScript.ExtractFrom(other));
        Assert.Contains(other, error.Message, StringComparison.Ordinal);
    }
}
