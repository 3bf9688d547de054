using Draw.Domain.Settings;

namespace Draw.Domain.Tests.Settings;

public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void A_listener_port_out_of_range_names_the_key(int port)
    {
        var result = new ListenerOptionsValidator().Validate(null, new ListenerOptions { Port = port });
        Assert.True(result.Failed);
        Assert.Contains("Draw:Listener:Port", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"got {port}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("THIS_AE_TITLE_IS_TOO_LONG")]
    [InlineData("BAD\\AE")]
    public void An_invalid_ae_title_names_the_key(string aeTitle)
    {
        var result = new ListenerOptionsValidator().Validate(null, new ListenerOptions { AeTitle = aeTitle });
        Assert.Contains("Draw:Listener:AeTitle", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSql_without_a_connection_string_names_the_key()
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = "PostgreSql" });
        Assert.Contains("Draw:Database:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_names_the_key_and_the_choices()
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = "Oracle" });
        Assert.Contains("Draw:Database:Provider", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("PostgreSql", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new ListenerOptionsValidator().Validate(null, new ListenerOptions()).Succeeded);
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions()).Succeeded);
        Assert.True(new WorkerOptionsValidator().Validate(null, new WorkerOptions()).Succeeded);
        Assert.True(new LiveOptionsValidator().Validate(null, new LiveOptions()).Succeeded);
        Assert.True(new StorageOptionsValidator().Validate(null, new StorageOptions()).Succeeded);
    }

    [Fact]
    public void A_short_shared_key_and_a_relative_hub_url_are_refused()
    {
        var result = new LiveOptionsValidator().Validate(null, new LiveOptions { HubUrl = "/hubs/live" });
        Assert.Contains("Draw:Live:HubUrl", result.FailureMessage, StringComparison.Ordinal);
        result = new LiveOptionsValidator().Validate(null, new LiveOptions { SharedKey = "short" });
        Assert.Contains("Draw:Live:SharedKey", result.FailureMessage, StringComparison.Ordinal);
    }
}
