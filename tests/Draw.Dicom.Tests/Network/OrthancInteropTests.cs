using Draw.Dicom.Core;
using Draw.Dicom.Network.Client;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Server;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Dicom.Tests.Network;

/// <summary>Our SCU and SCP against a real Orthanc: store into it, query and retrieve from it, and receive its sends.</summary>
public sealed class OrthancInteropTests
{
    private const string ScuAe = "DRAWSCU";
    private const string ScpAe = "DRAWSCP";

    [Fact]
    public async Task Our_scu_stores_finds_and_moves_and_orthanc_stores_to_our_scp()
    {
        using var received = new TempFolder("draw-net-orthanc-in");
        var scpPort = FreePort.Next();
        await using var server = new DicomServer(new DicomServerOptions { AeTitle = ScpAe, Port = scpPort }, new FolderStoreHandler(received.Path));
        await server.StartAsync();
        await using var orthanc = await OrthancServer.StartAsync([new OrthancModality("drawscu", ScuAe, scpPort), new OrthancModality("drawscp", ScpAe, scpPort)]);
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = orthanc.DicomPort, CalledAeTitle = orthanc.AeTitle, CallingAeTitle = ScuAe });
        var slices = NetworkTestData.LungSlices.Take(20).ToList();

        // C-ECHO and C-STORE into Orthanc.
        Assert.True((await client.EchoAsync()).IsSuccess, orthanc.Log);
        var summary = await client.StoreFilesAsync(slices);
        Assert.True(summary.Failed == 0, string.Join('\n', summary.Files.Where(f => !f.Succeeded).Select(f => $"{f.Path}: {f.Status} {f.Error}")) + orthanc.Log);
        Assert.Equal(slices.Count, (await orthanc.GetIdsAsync("instances")).Count);

        // C-FIND at study and series level.
        var studyUid = DicomFile(slices[0]).GetString(DicomTags.StudyInstanceUID)!.Trim();
        var query = new DicomDataset();
        query.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        query.SetString(DicomTags.StudyInstanceUID, studyUid);
        query.SetString(DicomTags.PatientID, "");
        query.SetString(DicomTags.NumberOfStudyRelatedInstances, "");
        var studies = await client.FindAsync(DimseSopClasses.StudyRootFind, query);
        Assert.True(studies.Status.IsSuccess, studies.Status.ToString());
        var study = Assert.Single(studies.Matches);
        Assert.Equal(studyUid, study.GetString(DicomTags.StudyInstanceUID)?.Trim());
        Assert.Equal(slices.Count, study.GetInt32(DicomTags.NumberOfStudyRelatedInstances));

        var none = new DicomDataset();
        none.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        none.SetString(DicomTags.StudyInstanceUID, "1.2.3.4.5.6.7.8.9");
        Assert.Empty((await client.FindAsync(DimseSopClasses.StudyRootFind, none)).Matches);

        // C-MOVE the study to our SCP.
        var move = new DicomDataset();
        move.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        move.SetString(DicomTags.StudyInstanceUID, studyUid);
        var moved = await client.MoveAsync(DimseSopClasses.StudyRootMove, ScpAe, move);
        Assert.True(moved.Status.IsSuccess, moved.Status + orthanc.Log);
        Assert.Equal(slices.Count, moved.Completed);
        Assert.Equal(0, moved.Failed);
        await DcmtkInteropTests.AssertStoredUnchangedAsync(slices, received.Path);

        // A move to an AE Orthanc does not know is refused with a failure status, not an exception.
        var unknown = await client.MoveAsync(DimseSopClasses.StudyRootMove, "NOBODY", move);
        Assert.True(unknown.Status.IsFailure, unknown.Status.ToString());

        // Orthanc's REST "store to modality" sends to our SCP.
        foreach (var f in Directory.GetFiles(received.Path))
        {
            File.Delete(f);
        }

        var stored = new List<DicomInstanceStoredEventArgs>();
        server.InstanceStored += (_, e) => { lock (stored) { stored.Add(e); } };
        var ids = await orthanc.GetIdsAsync("instances");
        await orthanc.StoreToModalityAsync("drawscp", ids);
        Assert.Equal(slices.Count, stored.Count);
        Assert.All(stored, e => Assert.Equal(orthanc.AeTitle, e.Association.CallingAeTitle));
        await DcmtkInteropTests.AssertStoredUnchangedAsync(slices, received.Path);
    }

    private static DicomDataset DicomFile(string path) => Draw.Dicom.IO.DicomFile.OpenHeader(path).Dataset;
}
