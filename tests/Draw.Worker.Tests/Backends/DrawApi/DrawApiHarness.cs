using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Draw.Testing;
using Draw.Testing.FakeDraw;
using Draw.Worker.Backends.DrawApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Tests.Backends.DrawApi;

/// <summary>
/// The client as the worker registers it (AddDrawServerBackend), over a data root in a temporary
/// folder, configured against a <see cref="FakeDrawServer"/>. <see cref="Restart"/> builds a new
/// container over the same data root, as a process restart would.
/// </summary>
public sealed class DrawApiHarness : IAsyncDisposable
{
    private readonly Dictionary<string, string?> settings;
    private ServiceProvider provider;

    private DrawApiHarness(FakeDrawServer server, TempFolder root, Dictionary<string, string?> settings)
    {
        Server = server;
        Root = root;
        this.settings = settings;
        provider = Build();
    }

    public FakeDrawServer Server { get; }

    public TempFolder Root { get; }

    public DataRoot DataRoot => provider.GetRequiredService<DataRoot>();

    public DrawServerClient Client => provider.GetRequiredService<DrawServerClient>();

    public ISegmentationBackend Backend => provider.GetServices<ISegmentationBackend>().Single(b => b.Name == DrawServerClient.BackendName);

    public DrawServerTokenManager Tokens => provider.GetRequiredService<DrawServerTokenManager>();

    public DrawServerOptions Options => provider.GetRequiredService<IOptions<DrawServerOptions>>().Value;

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>The settings under Draw:DrawServer; changes apply at the next <see cref="Restart"/>.</summary>
    public Dictionary<string, string?> Settings => settings;

    /// <summary>Starts a fake server and a client configured with its initial tokens; <paramref name="configure"/> adjusts settings (keys under Draw:DrawServer).</summary>
    public static async Task<DrawApiHarness> StartAsync(FakeDrawServerOptions? serverOptions = null, Action<FakeDrawServer, Dictionary<string, string?>>? configure = null)
    {
        var server = await FakeDrawServer.StartAsync(serverOptions);
        var settings = new Dictionary<string, string?>
        {
            ["Enabled"] = "true",
            ["BaseUrl"] = server.BaseUrl,
            ["ClientId"] = "Client-A1",
            ["BearerToken"] = server.InitialAccessToken,
            ["RefreshToken"] = server.InitialRefreshToken,
            ["BearerTokenExpiresAt"] = server.InitialAccessTokenExpiresAt.ToString("O"),
            ["RequestTimeoutSeconds"] = "10",
            ["TransferTimeoutSeconds"] = "30",
            ["BusyWaitSeconds"] = "1",
            ["BusyRetries"] = "2",
            ["Proxy:Disabled"] = "true",
        };
        configure?.Invoke(server, settings);
        return new DrawApiHarness(server, new TempFolder("draw-api"), settings);
    }

    /// <summary>A new container over the same data root and settings (a worker restart).</summary>
    public void Restart()
    {
        provider.Dispose();
        provider = Build();
    }

    /// <summary>A small de-identified CT series zipped with a template, as the pipeline packages it.</summary>
    public SubmissionPackage Package(int slices = 3, params string[] structures)
    {
        var folder = Path.Combine(Root.Path, "package-" + Guid.NewGuid().ToString("N"));
        var seriesUid = TinyCt.Write(folder, slices);
        File.WriteAllText(Path.Combine(folder, FakeSegmentation.TemplateFileName), TinyCt.Template(structures.Length == 0 ? ["Heart", "Lung_L"] : structures));
        var zip = Path.Combine(Root.Path, $"deidentified_series_{seriesUid}.zip");
        ZipFile.CreateFromDirectory(folder, zip);
        using var stream = File.OpenRead(zip);
        return new SubmissionPackage(zip, Convert.ToHexStringLower(SHA256.HashData(stream)), seriesUid);
    }

    /// <summary>Polls until the task is no longer pending.</summary>
    public async Task<BackendTaskStatus> PollAsync(string taskId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var status = await Backend.GetStatusAsync(taskId, CancellationToken.None);
            if (status.State != BackendTaskState.Pending || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await Server.DisposeAsync();
        Root.Dispose();
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(kv => new KeyValuePair<string, string?>(DrawServerOptions.Section + ":" + kv.Key, kv.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(Logs)));
        var dataRoot = new DataRoot(Path.Combine(Root.Path, "data"));
        services.AddSingleton(dataRoot);
        services.AddSingleton(TimeProvider.System);
        services.AddDrawServerBackend(configuration, dataRoot);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>A tiny CT series (16 x 16 pixels per slice) with consistent geometry, written with Draw.Dicom.</summary>
public static class TinyCt
{
    public static string Write(string folder, int slices)
    {
        Directory.CreateDirectory(folder);
        var study = DicomUidGenerator.Default.Generate();
        var series = DicomUidGenerator.Default.Generate();
        var frame = DicomUidGenerator.Default.Generate();
        for (var i = 0; i < slices; i++)
        {
            var ds = new DicomDataset();
            ds.SetString(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
            ds.SetString(DicomTags.SOPInstanceUID, DicomUidGenerator.Default.Generate());
            ds.SetString(DicomTags.StudyInstanceUID, study);
            ds.SetString(DicomTags.SeriesInstanceUID, series);
            ds.SetString(DicomTags.FrameOfReferenceUID, frame);
            ds.SetString(DicomTags.Modality, "CT");
            ds.SetString(DicomTags.PatientName, "PSEUDO^0001");
            ds.SetString(DicomTags.PatientID, "PSEUDO-0001");
            ds.SetString(DicomTags.StudyDate, "20200101");
            ds.SetIntegerString(DicomTags.InstanceNumber, i + 1);
            ds.SetDecimalString(DicomTags.ImagePositionPatient, -8, -8, i * 2.5);
            ds.SetDecimalString(DicomTags.ImageOrientationPatient, 1, 0, 0, 0, 1, 0);
            ds.SetDecimalString(DicomTags.PixelSpacing, 1, 1);
            ds.SetDecimalString(DicomTags.SliceThickness, 2.5);
            ds.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 16);
            ds.SetValues<ushort>(DicomTags.Columns, DicomVR.US, 16);
            ds.SetValues<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
            ds.SetString(DicomTags.PhotometricInterpretation, "MONOCHROME2");
            ds.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
            ds.SetValues<ushort>(DicomTags.BitsStored, DicomVR.US, 16);
            ds.SetValues<ushort>(DicomTags.HighBit, DicomVR.US, 15);
            ds.SetValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 1);
            ds.SetDecimalString(DicomTags.RescaleIntercept, 0);
            ds.SetDecimalString(DicomTags.RescaleSlope, 1);
            ds.SetBytes(DicomTags.PixelData, DicomVR.OW, new byte[16 * 16 * 2]);
            new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(Path.Combine(folder, $"ct_{i + 1:D3}.dcm"));
        }

        return series;
    }

    /// <summary>A template YAML in the shape the pipeline writes (one model, its map).</summary>
    public static string Template(IReadOnlyList<string> structures)
    {
        var lines = new List<string> { "name: Test", "protocol: DRAW", "models:", "  11:", "    name: FakeThorax", "    config: 3d_fullres", "    map:" };
        lines.AddRange(structures.Select((s, i) => $"      {i + 1}: {s}"));
        lines.Add("    trainer_name: nnUNetTrainer");
        lines.Add("    postprocess: null");
        return string.Join('\n', lines) + "\n";
    }
}
