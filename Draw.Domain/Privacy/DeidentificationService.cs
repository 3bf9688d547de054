using Draw.Dicom.Anonymization;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Privacy;

/// <summary>A de-identified package and the PHI check of it against its originals.</summary>
public sealed record DeidentifiedPackage(FolderDeidentificationResult Result, PhiReport PhiCheck)
{
    /// <summary>Throws when the package may not leave the site: a package that fails the PHI check is never sent.</summary>
    public void EnsureSendable()
    {
        if (!PhiCheck.Clean)
        {
            throw new PhiCheckFailedException(PhiCheck);
        }
    }
}

/// <summary>
/// De-identification and re-identification with the persistent UID map and patient pseudonyms, as the worker,
/// the CLI and benchmarks use them. Rule matching must have run on the original headers before this is called:
/// the engine reads the originals and writes new files, it never changes the originals.
/// </summary>
public sealed class DeidentificationService
{
    private readonly DeidentificationOptions _options;

    public DeidentificationService(IDbContextFactory<DrawDbContext> contexts, IOptions<DeidentificationOptions> options, DataRoot dataRoot, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataRoot);
        _options = options.Value;
        UidMap = new PersistentUidMap(contexts, PersistentUidMap.KeyFrom(dataRoot.ReadOrCreateSecret("uid-map.key")), _options.UidRoot, time);
        Patients = new PersistentPatientPseudonymizer(contexts, _options, PersistentUidMap.KeyFrom(dataRoot.ReadOrCreateSecret("patient-key.key")), time);
        PhiChecker = new PhiChecker(new LogMask(dataRoot));
        Time = time;
    }

    public PersistentUidMap UidMap { get; }

    public PersistentPatientPseudonymizer Patients { get; }

    public PhiChecker PhiChecker { get; }

    private TimeProvider Time { get; }

    /// <summary>The profile of a backend (its own, else the default).</summary>
    public DeidentificationProfile ProfileFor(string? backend) => _options.ForBackend(backend).ToProfile();

    public Deidentifier CreateEngine(string? backend) => new(ProfileFor(backend), UidMap, Patients);

    /// <summary>De-identifies a folder into a folder and checks the result for surviving identifiers.</summary>
    public async Task<DeidentifiedPackage> DeidentifyFolderAsync(string input, string output, string? backend, CancellationToken cancellationToken,
        FolderDeidentificationOptions? folderOptions = null)
    {
        return await DeidentifyFilesAsync(PhiChecker.Files(input), output, backend, cancellationToken, folderOptions);
    }

    /// <summary>De-identifies the given files into a folder and checks the result for surviving identifiers.</summary>
    public async Task<DeidentifiedPackage> DeidentifyFilesAsync(IReadOnlyList<string> inputs, string output, string? backend, CancellationToken cancellationToken,
        FolderDeidentificationOptions? folderOptions = null)
    {
        var engine = CreateEngine(backend);
        var result = await FolderDeidentifier.DeidentifyFilesAsync(inputs, output, engine, folderOptions, cancellationToken);
        var written = result.Files.Where(f => f.OutputPath is not null).ToList();
        var report = PhiChecker.Check(written.Select(f => f.InputPath), written.Select(f => f.OutputPath!), engine.Profile.Options);
        return new DeidentifiedPackage(result, report);
    }

    /// <summary>The re-identifier for returned structure sets, configured from the settings.</summary>
    public RtStructReidentifier CreateReidentifier() => new(UidMap, new ReidentificationOptions
    {
        SeriesDescription = _options.ReidentifiedSeriesDescription,
        StructureSetLabel = _options.StructureSetLabel,
        RestoreDescriptions = _options.RestoreDescriptions,
        Time = Time,
    });
}

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>Registers the de-identification settings (validated at start-up) and the service.</summary>
    public static IServiceCollection AddDrawPrivacy(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddDrawSetting<DeidentificationOptions, DeidentificationOptionsValidator>(configuration, DeidentificationOptions.Section);
        services.AddSingleton<DeidentificationService>();
        return services;
    }
}
