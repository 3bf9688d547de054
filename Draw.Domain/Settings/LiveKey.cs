using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>
/// The key workers present to the live hub: Draw:Live:SharedKey when set, otherwise the key file
/// secrets/live-hub.key under the data root (created once), which a worker and a dashboard on the
/// same machine share without any configuration.
/// </summary>
public sealed class LiveKey(IOptions<LiveOptions> options, DataRoot dataRoot)
{
    private readonly Lazy<string> value = new(() =>
        string.IsNullOrEmpty(options.Value.SharedKey) ? dataRoot.ReadOrCreateSecret("live-hub.key") : options.Value.SharedKey);

    public string Value => value.Value;
}
