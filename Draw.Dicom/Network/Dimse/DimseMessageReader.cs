using System.Buffers;
using Draw.Dicom.Network.Pdu;

namespace Draw.Dicom.Network.Dimse;

/// <summary>
/// Assembles DIMSE messages from P-DATA-TF PDUs (PS3.8 9.3.5, Annex E). It works PDV by PDV, so a message
/// that ends inside a PDU leaves the rest of that PDU for the next call, and data PDVs are streamed to the
/// sink the caller picks for the message. Every length from the wire is checked before it is trusted.
/// </summary>
internal sealed class DimseMessageReader
{
    /// <summary>Release and abort PDUs have 4-byte bodies; association PDUs are not expected here.</summary>
    private const int MaxControlPduLength = 64;

    private readonly PduReader _pdus;
    private readonly uint _maxIncomingPduLength;
    private readonly byte[] _pdvHeader = new byte[6];
    private long _pduRemaining;
    private ArrayBufferWriter<byte>? _command;

    /// <param name="maxIncomingPduLength">The maximum length we announced; a P-DATA-TF PDU longer than it is refused.</param>
    public DimseMessageReader(PduReader pdus, uint maxIncomingPduLength)
    {
        _pdus = pdus;
        _maxIncomingPduLength = maxIncomingPduLength;
    }

    /// <summary>Bytes of data set received for the message being read (for progress and logs).</summary>
    public long DataBytesReceived { get; private set; }

    public async ValueTask<UpperLayerEvent> ReadAsync(DimseDataSinkFactory sinkFactory, CancellationToken cancellationToken)
    {
        _command ??= new ArrayBufferWriter<byte>(512);
        _command.ResetWrittenCount();
        DataBytesReceived = 0;
        DicomCommand? command = null;
        byte commandContext = 0;
        Stream? sink = null;
        while (true)
        {
            if (_pduRemaining == 0)
            {
                var header = await _pdus.ReadHeaderAsync(cancellationToken);
                if (header is not { } h)
                {
                    if (command is not null || _command.WrittenCount > 0)
                    {
                        throw new Association.DicomAssociationAbortedException("the connection closed in the middle of a DIMSE message");
                    }

                    return UpperLayerEvent.ConnectionClosed;
                }

                if (h.Type != (byte)PduType.DataTransfer)
                {
                    var control = await ReadControlPduAsync(h, cancellationToken);
                    if (control.Kind != UpperLayerEventKind.Abort && (command is not null || _command.WrittenCount > 0))
                    {
                        throw new DicomProtocolException($"{h.PduType} received in the middle of a DIMSE message", AbortReason.UnexpectedPdu);
                    }

                    return control;
                }

                if (_maxIncomingPduLength != 0 && h.Length > _maxIncomingPduLength)
                {
                    throw new DicomProtocolException($"P-DATA-TF PDU of {h.Length} bytes exceeds the agreed maximum of {_maxIncomingPduLength}", AbortReason.InvalidPduParameterValue);
                }

                if (h.Length < 6)
                {
                    throw new DicomProtocolException($"P-DATA-TF PDU of {h.Length} bytes cannot hold a PDV", AbortReason.InvalidPduParameterValue);
                }

                _pduRemaining = h.Length;
            }

            if (_pduRemaining < 6)
            {
                throw new DicomProtocolException("P-DATA-TF PDU ends inside a PDV header", AbortReason.InvalidPduParameterValue);
            }

            await _pdus.ReadExactlyAsync(_pdvHeader, cancellationToken);
            var itemLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_pdvHeader);
            var contextId = _pdvHeader[4];
            var control2 = _pdvHeader[5];
            if (itemLength < 2 || itemLength > _pduRemaining - 4)
            {
                throw new DicomProtocolException($"PDV item length {itemLength} does not fit its P-DATA-TF PDU", AbortReason.InvalidPduParameterValue);
            }

            _pduRemaining -= 4 + itemLength;
            var payload = itemLength - 2;
            var isCommand = (control2 & 0x01) != 0;
            var isLast = (control2 & 0x02) != 0;
            if (isCommand)
            {
                if (command is not null)
                {
                    throw new DicomProtocolException("a command fragment arrived while the data set of the previous command was expected", AbortReason.UnexpectedPduParameter);
                }

                if (_command.WrittenCount > 0 && contextId != commandContext)
                {
                    throw new DicomProtocolException("command fragments arrived on different presentation contexts", AbortReason.UnexpectedPduParameter);
                }

                if (_command.WrittenCount + payload > DicomCommand.MaxEncodedLength)
                {
                    throw new DicomProtocolException($"command set longer than {DicomCommand.MaxEncodedLength} bytes", AbortReason.InvalidPduParameterValue);
                }

                commandContext = contextId;
                await _pdus.ReadExactlyAsync(_command.GetMemory((int)payload)[..(int)payload], cancellationToken);
                _command.Advance((int)payload);
                if (!isLast)
                {
                    continue;
                }

                command = DicomCommand.Decode(_command.WrittenSpan);
                if (!command.HasDataSet)
                {
                    return new UpperLayerEvent(UpperLayerEventKind.Message, new DimseMessage(contextId, command, null, 0));
                }

                sink = await sinkFactory(contextId, command, cancellationToken);
                continue;
            }

            if (command is null || sink is null)
            {
                throw new DicomProtocolException("a data set fragment arrived before its command", AbortReason.UnexpectedPduParameter);
            }

            if (contextId != commandContext)
            {
                throw new DicomProtocolException($"data set fragment on presentation context {contextId}, command on {commandContext}", AbortReason.UnexpectedPduParameter);
            }

            await _pdus.CopyToAsync(payload, sink, cancellationToken);
            DataBytesReceived += payload;
            if (isLast)
            {
                return new UpperLayerEvent(UpperLayerEventKind.Message, new DimseMessage(contextId, command, sink, DataBytesReceived));
            }
        }
    }

    private async ValueTask<UpperLayerEvent> ReadControlPduAsync(PduHeader h, CancellationToken cancellationToken)
    {
        if (!h.IsKnownType)
        {
            throw new DicomProtocolException($"unrecognized PDU type 0x{h.Type:X2}", AbortReason.UnrecognizedPdu);
        }

        if (h.PduType is PduType.AssociateRequest or PduType.AssociateAccept or PduType.AssociateReject)
        {
            throw new DicomProtocolException($"{h.PduType} received on an established association", AbortReason.UnexpectedPdu);
        }

        if (h.Length > MaxControlPduLength)
        {
            throw new DicomProtocolException($"{h.PduType} PDU of {h.Length} bytes (4 expected)", AbortReason.InvalidPduParameterValue);
        }

        var body = await _pdus.ReadBodyAsync(h.Length, cancellationToken);
        switch (h.PduType)
        {
            case PduType.ReleaseRequest:
                return UpperLayerEvent.ReleaseRequested;
            case PduType.ReleaseResponse:
                return UpperLayerEvent.ReleaseResponded;
            default:
                var (source, reason) = AbortPdu.Decode(body);
                return new UpperLayerEvent(UpperLayerEventKind.Abort, AbortSource: source, AbortReason: reason);
        }
    }
}
