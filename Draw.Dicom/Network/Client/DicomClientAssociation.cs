using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Draw.Dicom.Network.Client;

/// <summary>
/// An open association on the SCU side: one operation at a time (no asynchronous window), each waiting for
/// its response under the DIMSE timeout. Release it when done; disposing releases it if still open, and
/// aborts it if it is in an unknown state (e.g. after a cancelled store).
/// </summary>
public sealed class DicomClientAssociation : IAsyncDisposable
{
    private const int ReadAheadBytes = 256 * 1024;

    private readonly DicomConnection _connection;
    private readonly DicomClientOptions _options;
    private readonly ILogger _logger;
    private byte[]? _readAhead;
    private ushort _messageId;
    private State _state = State.Open;

    internal DicomClientAssociation(DicomConnection connection, DicomAssociationRequest negotiated, DicomUserInformation peer, DicomClientOptions options, ILogger logger)
    {
        _connection = connection;
        Negotiated = negotiated;
        PeerUserInformation = peer;
        _options = options;
        _logger = logger;
    }

    private enum State
    {
        Open,
        Broken,
        Closed,
    }

    /// <summary>The request as sent, with each presentation context's result and accepted transfer syntax.</summary>
    public DicomAssociationRequest Negotiated { get; }

    public DicomUserInformation PeerUserInformation { get; }

    /// <summary>Data set bytes sent on this association.</summary>
    public long BytesSent => _connection.Writer.DataBytesSent;

    /// <summary>The accepted context for a SOP class, preferring the given transfer syntaxes in order.</summary>
    public DicomPresentationContext? FindAcceptedContext(string sopClassUid, params IEnumerable<string> preferredSyntaxes)
    {
        var accepted = Negotiated.PresentationContexts.Where(p => p.IsAccepted && p.AbstractSyntax == sopClassUid).ToList();
        foreach (var ts in preferredSyntaxes)
        {
            if (accepted.FirstOrDefault(p => p.AcceptedTransferSyntax == ts) is { } match)
            {
                return match;
            }
        }

        return null;
    }

    public async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        var pc = Negotiated.PresentationContexts.FirstOrDefault(p => p.IsAccepted && p.AbstractSyntax == DimseSopClasses.Verification)
            ?? throw new InvalidOperationException("the peer did not accept the verification SOP class");
        var response = await RequestAsync(pc.Id, DicomCommand.EchoRequest(NextMessageId()), null, cancellationToken);
        return response.Command.Status;
    }

    /// <summary>
    /// Sends one Part 10 file: its data set bytes as stored when a context with the file's own transfer syntax
    /// was accepted, otherwise re-encoded in explicit or implicit VR little endian (uncompressed files only).
    /// </summary>
    public async Task<DicomStoreFileResult> StoreFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        StoreCandidate file;
        try
        {
            file = StoreCandidate.Read(path);
        }
        catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException)
        {
            return new DicomStoreFileResult(path, null, DicomStatus.CannotUnderstand, 0, "not readable as DICOM: " + ex.Message);
        }

        return await StoreFileAsync(file, cancellationToken);
    }

    /// <summary>Sends a file whose header was read already (a multi-file send reads each header once, to propose its contexts).</summary>
    internal async Task<DicomStoreFileResult> StoreFileAsync(StoreCandidate file, CancellationToken cancellationToken)
    {
        var path = file.Path;
        if (file.SopClass is not { } sopClass || file.SopInstance is not { } sopInstance)
        {
            return new DicomStoreFileResult(path, file.SopInstance, DicomStatus.CannotUnderstand, 0, "no SOP class or instance UID");
        }

        var own = file.TransferSyntax.Uid;
        var canTranscode = !file.TransferSyntax.IsEncapsulated;
        var pc = FindAcceptedContext(sopClass, own)
            ?? (canTranscode ? FindAcceptedContext(sopClass, DicomUids.ExplicitVRLittleEndian, DicomUids.ImplicitVRLittleEndian) : null);
        if (pc is null)
        {
            return new DicomStoreFileResult(path, sopInstance, DicomStatus.SopClassNotSupported, 0, $"the peer accepted no presentation context for {DicomUids.GetName(sopClass) ?? sopClass} in {file.TransferSyntax.Name}");
        }

        var command = DicomCommand.StoreRequest(NextMessageId(), sopClass, sopInstance);
        Stream data;
        if (pc.AcceptedTransferSyntax == own)
        {
            // Read ahead through the association's buffer: a kernel read per 256 KB, not per PDU fragment.
            _readAhead ??= System.Buffers.ArrayPool<byte>.Shared.Rent(ReadAheadBytes);
            data = new ReadAheadFileStream(path, file.DatasetOffset, _readAhead);
        }
        else
        {
            var full = DicomFile.Open(path);
            var memory = new MemoryStream();
            DicomDatasetWriter.Write(memory, full.Dataset, DicomTransferSyntax.Lookup(pc.AcceptedTransferSyntax!));
            memory.Position = 0;
            data = memory;
        }

        await using (data)
        {
            var bytes = data.Length - data.Position;
            var response = await RequestAsync(pc.Id, command, data, cancellationToken);
            DicomClientLog.Stored(_logger, sopInstance, response.Command.Status.ToString());
            return new DicomStoreFileResult(path, sopInstance, response.Command.Status, bytes);
        }
    }

    /// <summary>Sends a data set held in memory, encoded in the accepted transfer syntax of its SOP class.</summary>
    public async Task<DicomStatus> StoreAsync(DicomDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sopClass = dataset.GetString(DicomTags.SOPClassUID) ?? throw new ArgumentException("the data set has no SOP class UID");
        var sopInstance = dataset.GetString(DicomTags.SOPInstanceUID) ?? throw new ArgumentException("the data set has no SOP instance UID");
        var pc = FindAcceptedContext(sopClass, DicomUids.ExplicitVRLittleEndian, DicomUids.ImplicitVRLittleEndian)
            ?? throw new InvalidOperationException($"the peer accepted no uncompressed context for {sopClass}");
        using var memory = new MemoryStream();
        DicomDatasetWriter.Write(memory, dataset, DicomTransferSyntax.Lookup(pc.AcceptedTransferSyntax!));
        memory.Position = 0;
        var response = await RequestAsync(pc.Id, DicomCommand.StoreRequest(NextMessageId(), sopClass, sopInstance), memory, cancellationToken);
        return response.Command.Status;
    }

    /// <summary>
    /// C-FIND: collects the matches until the final response. Cancelling sends C-CANCEL-RQ and then waits for
    /// the final response, so the association stays usable, before throwing <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<DicomFindResult> FindAsync(string sopClassUid, DicomDataset identifier, CancellationToken cancellationToken = default)
    {
        var matches = new List<DicomDataset>();
        var (pc, ts) = QueryContext(sopClassUid);
        var request = DicomCommand.FindRequest(NextMessageId(), sopClassUid);
        var final = await RunQueryAsync(pc, request, identifier, ts, (response, data) =>
        {
            if (response.Status.IsPending && data is not null)
            {
                matches.Add(data);
            }
        }, cancellationToken);
        return new DicomFindResult(final.Status, matches);
    }

    /// <summary>C-MOVE: asks the peer to send the matching instances to <paramref name="destinationAeTitle"/>.</summary>
    public async Task<DicomMoveResult> MoveAsync(string sopClassUid, string destinationAeTitle, DicomDataset identifier, IProgress<DicomMoveResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destinationAeTitle);
        var (pc, ts) = QueryContext(sopClassUid);
        var request = DicomCommand.MoveRequest(NextMessageId(), sopClassUid, destinationAeTitle);
        var final = await RunQueryAsync(pc, request, identifier, ts, (response, _) =>
        {
            if (response.Status.IsPending)
            {
                progress?.Report(MoveResultOf(response));
            }
        }, cancellationToken);
        return MoveResultOf(final);
    }

    /// <summary>A-RELEASE-RQ and wait for A-RELEASE-RP under the association timeout (PS3.8 7.2), handling a release collision.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (_state != State.Open)
        {
            return;
        }

        _state = State.Broken;
        using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        artim.CancelAfter(_options.AssociationTimeout);
        try
        {
            await _connection.SendPduAsync(ReleasePdu.Encode(PduType.ReleaseRequest), artim.Token);
            while (true)
            {
                var next = await _connection.Reader.ReadAsync(DropData, artim.Token);
                switch (next.Kind)
                {
                    case UpperLayerEventKind.ReleaseResponse:
                    case UpperLayerEventKind.Closed:
                    case UpperLayerEventKind.Abort:
                        _state = State.Closed;
                        return;
                    case UpperLayerEventKind.ReleaseRequest:
                        // Release collision (PS3.8 9.2.3.3): as the requestor we answer first, then wait for our RP.
                        await _connection.SendPduAsync(ReleasePdu.Encode(PduType.ReleaseResponse), artim.Token);
                        break;
                    default:
                        // A late response (e.g. after a C-CANCEL) is dropped.
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or DicomProtocolException or DicomAssociationAbortedException)
        {
            await AbortAsync();
        }
        finally
        {
            await CloseAsync();
        }
    }

    public async Task AbortAsync()
    {
        if (_state == State.Closed)
        {
            return;
        }

        _state = State.Closed;
        await _connection.TrySendAbortAsync(AbortSource.ServiceUser, AbortReason.NotSpecified);
        await CloseAsync();
    }

    private async Task CloseAsync()
    {
        await _connection.DisposeAsync();
        if (Interlocked.Exchange(ref _readAhead, null) is { } buffer)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Open)
        {
            await ReleaseAsync();
        }
        else
        {
            await AbortAsync();
        }
    }

    private (DicomPresentationContext Context, DicomTransferSyntax Syntax) QueryContext(string sopClassUid)
    {
        ArgumentNullException.ThrowIfNull(sopClassUid);
        var pc = FindAcceptedContext(sopClassUid, DicomUids.ExplicitVRLittleEndian, DicomUids.ImplicitVRLittleEndian)
            ?? throw new InvalidOperationException($"the peer did not accept {sopClassUid}");
        return (pc, DicomTransferSyntax.Lookup(pc.AcceptedTransferSyntax!));
    }

    private async Task<DicomCommand> RunQueryAsync(DicomPresentationContext pc, DicomCommand request, DicomDataset identifier, DicomTransferSyntax ts, Action<DicomCommand, DicomDataset?> onResponse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        EnsureOpen();
        using var encoded = new MemoryStream();
        DicomDatasetWriter.Write(encoded, identifier, ts);
        encoded.Position = 0;
        await SendOrBreakAsync(pc.Id, request, encoded, CancellationToken.None);
        var cancelSent = 0;
        await using var registration = cancellationToken.Register(() =>
        {
            if (Interlocked.Exchange(ref cancelSent, 1) == 0)
            {
                _ = SendCancelAsync(pc.Id, request.MessageId);
            }
        });
        while (true)
        {
            var response = await ReadResponseAsync(request.MessageId, CancellationToken.None);
            DicomDataset? data = null;
            if (response.Data is MemoryStream ms)
            {
                ms.Position = 0;
                data = DicomStreamReader.Read(ms, ts, sourceName: "C-FIND/C-MOVE response");
            }

            onResponse(response.Command, data);
            if (!response.Command.Status.IsPending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return response.Command;
            }
        }
    }

    private async Task SendCancelAsync(byte contextId, ushort messageId)
    {
        try
        {
            await _connection.Writer.SendAsync(contextId, DicomCommand.CancelRequest(messageId), null, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The association is going away; the read loop reports it.
        }
    }

    private async Task<DimseMessage> RequestAsync(byte contextId, DicomCommand request, Stream? data, CancellationToken cancellationToken)
    {
        EnsureOpen();
        await SendOrBreakAsync(contextId, request, data, cancellationToken);
        return await ReadResponseAsync(request.MessageId, cancellationToken);
    }

    private async Task SendOrBreakAsync(byte contextId, DicomCommand request, Stream? data, CancellationToken cancellationToken)
    {
        try
        {
            await _connection.Writer.SendAsync(contextId, request, data, cancellationToken);
        }
        catch
        {
            // A message cut short leaves the peer mid-message: the association cannot continue.
            _state = State.Broken;
            throw;
        }
    }

    private async Task<DimseMessage> ReadResponseAsync(ushort messageId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DimseTimeout);
        try
        {
            while (true)
            {
                var next = await _connection.Reader.ReadAsync(KeepResponseData, timeout.Token);
                switch (next.Kind)
                {
                    case UpperLayerEventKind.Message when next.Message!.Command.IsRequest:
                        // We accept no requests as SCU (no C-GET role reversal); answer so the peer is not left waiting.
                        await _connection.Writer.SendAsync(next.Message.PresentationContextId, DicomCommand.ResponseTo(next.Message.Command, DicomStatus.UnrecognizedOperation), null, timeout.Token);
                        continue;
                    case UpperLayerEventKind.Message when next.Message!.Command.MessageIdBeingRespondedTo == messageId:
                        return next.Message;
                    case UpperLayerEventKind.Message:
                        continue;
                    case UpperLayerEventKind.Abort:
                        throw new DicomAssociationAbortedException($"the peer aborted the association (source {next.AbortSource}, reason {next.AbortReason})", next.AbortSource, next.AbortReason);
                    case UpperLayerEventKind.Closed:
                        throw new DicomAssociationAbortedException("the peer closed the connection");
                    default:
                        throw new DicomProtocolException($"unexpected {next.Kind} while waiting for a response", AbortReason.UnexpectedPdu);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _state = State.Broken;
            throw new TimeoutException($"no DIMSE response within {_options.DimseTimeout.TotalSeconds:0.#} s");
        }
        catch (DicomProtocolException ex)
        {
            _state = State.Broken;
            await _connection.TrySendAbortAsync(AbortSource.ServiceProvider, ex.Reason);
            throw;
        }
        catch
        {
            _state = State.Broken;
            throw;
        }
    }

    private ValueTask<Stream> KeepResponseData(byte contextId, DicomCommand command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new BoundedMemoryStream(_options.MaxResponseDataSetLength));

    private static ValueTask<Stream> DropData(byte contextId, DicomCommand command, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Stream.Null);

    private void EnsureOpen()
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException("the association is no longer usable (released, aborted, or broken by an earlier failure)");
        }
    }

    private ushort NextMessageId() => ++_messageId == 0 ? ++_messageId : _messageId;

    private static DicomMoveResult MoveResultOf(DicomCommand response) => new(
        response.Status,
        response.CompletedSuboperations ?? 0,
        response.FailedSuboperations ?? 0,
        response.WarningSuboperations ?? 0,
        response.RemainingSuboperations ?? 0);
}

/// <summary>A memory stream that refuses to grow past a bound: a response data set cannot exhaust memory.</summary>
internal sealed class BoundedMemoryStream(int maxLength) : MemoryStream
{
    public override void Write(byte[] buffer, int offset, int count)
    {
        Check(count);
        base.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Check(buffer.Length);
        return base.WriteAsync(buffer, cancellationToken);
    }

    private void Check(int count)
    {
        if (Length + count > maxLength)
        {
            throw new DicomProtocolException($"a response data set is larger than {maxLength} bytes", AbortReason.NotSpecified);
        }
    }
}
