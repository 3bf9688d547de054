using Draw.Domain.Work;
using Draw.Worker.Pipeline;

namespace Draw.Worker.Health;

/// <summary>What the heartbeat publishes beside the service states: data root space, backend contacts, settings.</summary>
internal sealed class WorkerSelfReport(DataRootSpace space, BackendContacts contacts, EffectiveSettings settings, BackendRegistry backends)
{
    public string DataRootPath => space.Path;

    public (long Free, long Total)? Space() => space.Measure();

    public string BackendsJson() => WorkerReports.Serialize(contacts.Snapshot(backends.Names));

    public string SettingsJson() => WorkerReports.Serialize(settings.Entries);
}
