using Draw.Domain.Ingest;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Worker.Commands;
using Draw.Worker.Health;
using Draw.Worker.Pipeline;
using Draw.Worker.Tests.Backends.DrawApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draw.Worker.Tests.Commands;

/// <summary>The dashboard's test buttons as worker commands: a folder as the worker sees it, a backend as the worker reaches it.</summary>
public sealed class WorkerTestCommandsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_folder_test_reports_what_the_worker_sees_in_the_command_row_and_an_event(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var folder = new TempFolder("draw-folder-test");
        Directory.CreateDirectory(Path.Combine(folder.Path, "study"));
        File.WriteAllText(Path.Combine(folder.Path, "a.dcm"), "x");
        var identity = new WorkerIdentity();
        var processor = new CommandProcessor(database.Factory, [new DatastoreTestHandler(identity, TimeProvider.System)], identity, new RecordingPublisher(), TimeProvider.System, NullLogger<CommandProcessor>.Instance);
        var paths = new[] { folder.Path, folder.Path + "-missing", "relative/path", Path.Combine(folder.Path, "a.dcm") };
        await using (var db = database.CreateContext())
        {
            foreach (var path in paths)
            {
                db.RequestPathTest(path, "admin1", TimeProvider.System);
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal(4, await processor.DrainAsync(CancellationToken.None));

        await using var check = database.CreateContext();
        var results = (await check.WorkCommands.Where(c => c.Kind == WorkCommandKinds.TestDatastore).OrderBy(c => c.Id).ToListAsync())
            .Select(c => (c.Error, Check: CommandResults.Read<FolderCheck>(c.Result)!)).ToList();
        Assert.All(results, r => Assert.Null(r.Error));
        Assert.True(results[0].Check.Ok);
        Assert.Equal((1, 1), (results[0].Check.Folders, results[0].Check.Files));
        Assert.Equal(identity.Id, results[0].Check.Worker);
        Assert.Contains("does not exist", results[1].Check.Detail, StringComparison.Ordinal);
        Assert.Contains("not an absolute folder path", results[2].Check.Detail, StringComparison.Ordinal);
        Assert.Contains("is a file, not a folder", results[3].Check.Detail, StringComparison.Ordinal);
        Assert.Equal([true, false, false, false], await check.Events.Where(e => e.Kind == EventKinds.DatastoreTested).OrderBy(e => e.Id)
            .Select(e => e.Payload.Contains("\"ok\":true")).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_backend_test_asks_each_backend_from_the_worker_records_ready_and_failing_answers_and_names_an_unknown_backend(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var harness = await DrawApiHarness.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(harness.Backend);
        services.AddSingleton<BackendRegistry>();
        services.RecordBackendContacts();
        await using var container = services.BuildServiceProvider();
        var identity = new WorkerIdentity();
        var handler = new BackendTestHandler(container.GetRequiredService<BackendRegistry>(), identity, TimeProvider.System);
        var processor = new CommandProcessor(database.Factory, [handler], identity, new RecordingPublisher(), TimeProvider.System, NullLogger<CommandProcessor>.Instance);

        var ready = await RunAsync(database, processor, "{\"backend\":null}");
        var check = Assert.Single(CommandResults.Read<List<BackendCheck>>(ready.Result)!);
        Assert.Equal(("draw-server", "Ready", true), (check.Backend, check.State, check.Ok));
        Assert.Contains("model catalogue", check.Detail, StringComparison.Ordinal);

        harness.Server.Switches.ServerErrors = 100;
        var failing = await RunAsync(database, processor, "{\"backend\":\"DRAW-SERVER\"}");
        Assert.Null(failing.Error);
        Assert.False(Assert.Single(CommandResults.Read<List<BackendCheck>>(failing.Result)!).Ok);

        var unknown = await RunAsync(database, processor, "{\"backend\":\"nope\"}");
        Assert.Contains("No backend named 'nope'", unknown.Error, StringComparison.Ordinal);

        // Every call went through the recorder: the last answer was a failure after a success.
        var contact = Assert.Single(container.GetRequiredService<BackendContacts>().Snapshot([]));
        Assert.Equal(BackendContactState.Failing, contact.State);
        Assert.NotNull(contact.LastSuccessAt);
        Assert.Equal("health", contact.LastOperation);
        await using var db = database.CreateContext();
        Assert.Equal(2, await db.Events.CountAsync(e => e.Kind == EventKinds.BackendTested));
    }

    private static async Task<WorkCommand> RunAsync(TestDatabase database, CommandProcessor processor, string payload)
    {
        WorkCommand command;
        await using (var db = database.CreateContext())
        {
            command = db.Enqueue(TimeProvider.System, WorkCommandKinds.TestBackend, "admin1", payload);
            await db.SaveChangesAsync();
        }

        await processor.DrainAsync(CancellationToken.None);
        await using var check = database.CreateContext();
        return await check.WorkCommands.SingleAsync(c => c.Id == command.Id);
    }
}
