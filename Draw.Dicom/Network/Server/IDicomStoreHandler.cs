using System.Net;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Network.Dimse;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// Receives each instance a C-STORE SCP has written to a temporary Part 10 file (meta group built from the
/// command, then the data set bytes exactly as received), and decides its fate: a final path to rename it to
/// and the status to answer. The SCP deletes the temporary file when no final path is returned or on failure.
/// </summary>
public interface IDicomStoreHandler
{
    /// <summary>The folder to write the temporary file in: the destination's folder, so the final rename is atomic.</summary>
    string GetTemporaryFolder(DicomIncomingInstance instance);

    ValueTask<DicomStoreDecision> OnInstanceReceivedAsync(DicomIncomingInstance instance, CancellationToken cancellationToken);
}

/// <summary>One instance being received: what the command and the association say about it, and its temporary file.</summary>
public sealed class DicomIncomingInstance
{
    public required long AssociationId { get; init; }

    public required string CallingAeTitle { get; init; }

    public required string CalledAeTitle { get; init; }

    public required EndPoint? RemoteEndPoint { get; init; }

    public required string SopClassUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public required DicomTransferSyntax TransferSyntax { get; init; }

    public string? MoveOriginatorAeTitle { get; init; }

    /// <summary>The Part 10 file as received (set once the data set is complete).</summary>
    public string TemporaryFile { get; internal set; } = "";

    /// <summary>Bytes of the data set as received (without the meta group).</summary>
    public long DataSetLength { get; internal set; }

    /// <summary>Reads the received file up to its pixel data, for handlers that route on header values.</summary>
    public DicomFile ReadHeader() => DicomFile.OpenHeader(TemporaryFile);
}

/// <summary>The handler's answer: the status to return and, to keep the file, where to rename it.</summary>
public sealed record DicomStoreDecision(DicomStatus Status, string? FinalPath)
{
    public static DicomStoreDecision Keep(string finalPath) => new(DicomStatus.Success, finalPath);

    public static DicomStoreDecision Refuse(DicomStatus status) => new(status, null);
}
