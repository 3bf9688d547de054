using Draw.Dicom.Core;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// The C-STORE side of one accepted association: where each incoming data set is written (a temporary file
/// beside its destination), the handler's decision once it is complete (rename or delete), the counts, and the
/// "instance stored" event. At most one instance is in flight: the SCP performs one operation at a time.
/// </summary>
internal sealed class StoreReceiver(DicomAssociationInfo association, DicomAssociationRequest request, DicomServerOptions options, IDicomStoreHandler handler, ILogger logger, DicomServer server)
{
    private StoreFileSink? _current;

    public int Stored { get; private set; }

    public int Failed { get; private set; }

    /// <summary>True while a data set is being written (its command has arrived, its last fragment not yet).</summary>
    public bool HasInstance => _current is not null;

    /// <summary>Called by the message reader when a command with a data set is complete: where its data goes.</summary>
    public async ValueTask<Stream> OpenSinkAsync(byte contextId, DicomCommand command, CancellationToken cancellationToken)
    {
        var pc = request.FindContext(contextId);
        if (pc is null || !pc.IsAccepted)
        {
            throw new DicomProtocolException($"a message arrived on presentation context {contextId}, which was not accepted", AbortReason.UnexpectedPduParameter);
        }

        if (command.CommandField != DimseCommandField.CStoreRequest
            || command.AffectedSopClassUid != pc.AbstractSyntax
            || string.IsNullOrEmpty(command.AffectedSopInstanceUid))
        {
            // Data we will refuse once it has arrived: read and dropped, never kept.
            return Stream.Null;
        }

        var instance = new DicomIncomingInstance
        {
            AssociationId = association.Id,
            CallingAeTitle = request.CallingAeTitle,
            CalledAeTitle = request.CalledAeTitle,
            RemoteEndPoint = association.RemoteEndPoint,
            SopClassUid = command.AffectedSopClassUid,
            SopInstanceUid = command.AffectedSopInstanceUid,
            TransferSyntax = DicomTransferSyntax.Lookup(pc.AcceptedTransferSyntax!),
            MoveOriginatorAeTitle = command.MoveOriginatorAeTitle,
        };
        _current = await StoreFileSink.CreateAsync(handler.GetTemporaryFolder(instance), instance, cancellationToken);
        return _current.Stream;
    }

    /// <summary>A C-STORE-RQ refused without a data set kept (wrong SOP class, no instance UID).</summary>
    public void CountRefused() => Failed++;

    /// <summary>The data set is complete: close the file, ask the handler, rename or delete, and return the status to answer.</summary>
    public async Task<DicomStatus> CompleteAsync(CancellationToken cancellationToken)
    {
        var sink = _current!;
        _current = null;
        var instance = sink.Instance;
        DicomStoreDecision decision;
        try
        {
            await sink.CompleteAsync(options.FlushToDisk, cancellationToken);
            decision = await handler.OnInstanceReceivedAsync(instance, cancellationToken);
            if (decision.FinalPath is { } final && decision.Status.IsSuccessOrWarning)
            {
                File.Move(sink.TemporaryPath, final, overwrite: true);
            }
            else
            {
                sink.Delete();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DicomServerLog.HandlerFailed(logger, ex, association.Id);
            sink.Delete();
            decision = DicomStoreDecision.Refuse(ex is IOException or UnauthorizedAccessException
                ? DicomStatus.OutOfResources.WithComment("could not write the instance")
                : DicomStatus.ProcessingFailure.WithComment("the instance could not be processed"));
        }
        catch
        {
            sink.Delete();
            throw;
        }
        finally
        {
            await sink.DisposeAsync();
        }

        var kept = decision.Status.IsSuccessOrWarning && decision.FinalPath is not null;
        if (kept)
        {
            Stored++;
        }
        else
        {
            Failed++;
        }

        DicomServerLog.Stored(logger, association.Id, instance.SopInstanceUid, instance.SopClassUid, instance.TransferSyntax.Uid, instance.DataSetLength, decision.Status.ToString());
        server.OnInstanceStored(new DicomInstanceStoredEventArgs(association, instance, decision.Status, decision.Status.IsSuccessOrWarning ? decision.FinalPath : null));
        return decision.Status;
    }

    /// <summary>Drops a partly received instance (abort, lost connection): its temporary file is deleted.</summary>
    public async Task DiscardAsync()
    {
        if (_current is { } sink)
        {
            _current = null;
            await sink.DisposeAsync();
            sink.Delete();
        }
    }
}
