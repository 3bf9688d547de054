using System.Buffers.Binary;
using System.Text;
using Draw.Dicom.Core;

namespace Draw.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set (PS3.7 9.3, E.1): group 0000 elements, always encoded in implicit VR little endian
/// with the command group length first. Holds the values in a <see cref="DicomDataset"/> so callers can
/// inspect any element; the typed properties cover the fields C-ECHO, C-STORE, C-FIND and C-MOVE use.
/// </summary>
public sealed class DicomCommand
{
    /// <summary>Command sets are a few hundred bytes; anything larger than this is hostile or broken.</summary>
    public const int MaxEncodedLength = 64 * 1024;

    public DicomCommand(DimseCommandField field)
    {
        CommandField = field;
        HasDataSet = false;
    }

    private DicomCommand(DicomDataset dataset)
    {
        Dataset = dataset;
    }

    public DicomDataset Dataset { get; } = new();

    public DimseCommandField CommandField
    {
        get => (DimseCommandField)(GetUInt16(DimseTags.CommandField) ?? 0);
        set => SetUInt16(DimseTags.CommandField, (ushort)value);
    }

    public bool IsRequest => ((ushort)CommandField & 0x8000) == 0;

    public ushort MessageId
    {
        get => GetUInt16(DimseTags.MessageId) ?? 0;
        set => SetUInt16(DimseTags.MessageId, value);
    }

    public ushort MessageIdBeingRespondedTo
    {
        get => GetUInt16(DimseTags.MessageIdBeingRespondedTo) ?? 0;
        set => SetUInt16(DimseTags.MessageIdBeingRespondedTo, value);
    }

    public string? AffectedSopClassUid
    {
        get => GetText(DimseTags.AffectedSopClassUid);
        set => SetText(DimseTags.AffectedSopClassUid, DicomVR.UI, value);
    }

    public string? RequestedSopClassUid
    {
        get => GetText(DimseTags.RequestedSopClassUid);
        set => SetText(DimseTags.RequestedSopClassUid, DicomVR.UI, value);
    }

    public string? AffectedSopInstanceUid
    {
        get => GetText(DimseTags.AffectedSopInstanceUid);
        set => SetText(DimseTags.AffectedSopInstanceUid, DicomVR.UI, value);
    }

    public string? MoveDestination
    {
        get => GetText(DimseTags.MoveDestination);
        set => SetText(DimseTags.MoveDestination, DicomVR.AE, value);
    }

    public string? MoveOriginatorAeTitle
    {
        get => GetText(DimseTags.MoveOriginatorApplicationEntityTitle);
        set => SetText(DimseTags.MoveOriginatorApplicationEntityTitle, DicomVR.AE, value);
    }

    public ushort? MoveOriginatorMessageId
    {
        get => GetUInt16(DimseTags.MoveOriginatorMessageId);
        set => SetOptionalUInt16(DimseTags.MoveOriginatorMessageId, value);
    }

    public DimsePriority Priority
    {
        get => (DimsePriority)(GetUInt16(DimseTags.Priority) ?? 0);
        set => SetUInt16(DimseTags.Priority, (ushort)value);
    }

    /// <summary>A data set follows the command (Command Data Set Type other than 0x0101).</summary>
    public bool HasDataSet
    {
        get => GetUInt16(DimseTags.CommandDataSetType) is { } t && t != DimseTags.NoDataSet;
        set => SetUInt16(DimseTags.CommandDataSetType, value ? (ushort)0x0000 : DimseTags.NoDataSet);
    }

    public DicomStatus Status
    {
        get => new(GetUInt16(DimseTags.Status) ?? 0xFFFF, GetText(DimseTags.ErrorComment));
        set
        {
            SetUInt16(DimseTags.Status, value.Code);
            // An error comment is only meaningful for warnings and failures (PS3.7 C.4).
            SetText(DimseTags.ErrorComment, DicomVR.LO, value.ErrorComment is { } c && !value.IsSuccess && !value.IsPending ? Truncate(c, 64) : null);
        }
    }

    public ushort? RemainingSuboperations
    {
        get => GetUInt16(DimseTags.NumberOfRemainingSuboperations);
        set => SetOptionalUInt16(DimseTags.NumberOfRemainingSuboperations, value);
    }

    public ushort? CompletedSuboperations
    {
        get => GetUInt16(DimseTags.NumberOfCompletedSuboperations);
        set => SetOptionalUInt16(DimseTags.NumberOfCompletedSuboperations, value);
    }

    public ushort? FailedSuboperations
    {
        get => GetUInt16(DimseTags.NumberOfFailedSuboperations);
        set => SetOptionalUInt16(DimseTags.NumberOfFailedSuboperations, value);
    }

    public ushort? WarningSuboperations
    {
        get => GetUInt16(DimseTags.NumberOfWarningSuboperations);
        set => SetOptionalUInt16(DimseTags.NumberOfWarningSuboperations, value);
    }

    public override string ToString() => $"{CommandField} id={(IsRequest ? MessageId : MessageIdBeingRespondedTo)}";

    /// <summary>Encodes the command set in implicit VR little endian, command group length first.</summary>
    public byte[] Encode()
    {
        var body = 0;
        foreach (var e in Dataset.Elements)
        {
            if (e.Tag != DimseTags.CommandGroupLength)
            {
                body += 8 + (int)e.Length;
            }
        }

        var bytes = new byte[12 + body];
        var span = bytes.AsSpan();
        WriteHeader(span, DimseTags.CommandGroupLength, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)body);
        var at = 12;
        foreach (var e in Dataset.Elements.OrderBy(e => e.Tag.Value))
        {
            if (e.Tag == DimseTags.CommandGroupLength)
            {
                continue;
            }

            var value = e.GetBytes().Span;
            WriteHeader(span[at..], e.Tag, (uint)value.Length);
            value.CopyTo(span[(at + 8)..]);
            at += 8 + value.Length;
        }

        return bytes;
    }

    /// <summary>Decodes a command set; every length is checked against the bytes received.</summary>
    public static DicomCommand Decode(ReadOnlySpan<byte> bytes)
    {
        var dataset = new DicomDataset();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 8)
            {
                throw new Pdu.DicomProtocolException("command set ends inside an element header");
            }

            var tag = new DicomTag(
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]),
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 2)..]));
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]);
            at += 8;
            if (tag.Group != 0 || length > (uint)(bytes.Length - at))
            {
                throw new Pdu.DicomProtocolException($"command set element {tag} is outside group 0000 or longer than the command");
            }

            dataset.Add(new DicomElement(tag, VROf(tag), bytes.Slice(at, (int)length).ToArray()));
            at += (int)length;
        }

        var command = new DicomCommand(dataset);
        if (command.GetUInt16(DimseTags.CommandField) is null)
        {
            throw new Pdu.DicomProtocolException("command set without a command field (0000,0100)");
        }

        return command;
    }

    public static DicomCommand EchoRequest(ushort messageId) => new(DimseCommandField.CEchoRequest)
    {
        MessageId = messageId,
        AffectedSopClassUid = DimseSopClasses.Verification,
    };

    public static DicomCommand StoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid, DimsePriority priority = DimsePriority.Medium) => new(DimseCommandField.CStoreRequest)
    {
        MessageId = messageId,
        AffectedSopClassUid = sopClassUid,
        AffectedSopInstanceUid = sopInstanceUid,
        Priority = priority,
        HasDataSet = true,
    };

    public static DicomCommand FindRequest(ushort messageId, string sopClassUid, DimsePriority priority = DimsePriority.Medium) => new(DimseCommandField.CFindRequest)
    {
        MessageId = messageId,
        AffectedSopClassUid = sopClassUid,
        Priority = priority,
        HasDataSet = true,
    };

    public static DicomCommand MoveRequest(ushort messageId, string sopClassUid, string destination, DimsePriority priority = DimsePriority.Medium) => new(DimseCommandField.CMoveRequest)
    {
        MessageId = messageId,
        AffectedSopClassUid = sopClassUid,
        MoveDestination = destination,
        Priority = priority,
        HasDataSet = true,
    };

    public static DicomCommand CancelRequest(ushort messageIdBeingCancelled) => new(DimseCommandField.CCancelRequest)
    {
        MessageIdBeingRespondedTo = messageIdBeingCancelled,
    };

    /// <summary>The response to a request: same SOP class (and instance for C-STORE), the request's message ID.</summary>
    public static DicomCommand ResponseTo(DicomCommand request, DicomStatus status, bool hasDataSet = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new DicomCommand((DimseCommandField)((ushort)request.CommandField | 0x8000))
        {
            MessageIdBeingRespondedTo = request.MessageId,
            AffectedSopClassUid = request.AffectedSopClassUid,
            HasDataSet = hasDataSet,
            Status = status,
        };
        if (request.AffectedSopInstanceUid is { } instance)
        {
            response.AffectedSopInstanceUid = instance;
        }

        return response;
    }

    private ushort? GetUInt16(DicomTag tag) =>
        Dataset.Find(tag) is { } e && e.GetBytes().Span is { Length: >= 2 } v ? BinaryPrimitives.ReadUInt16LittleEndian(v) : null;

    private void SetUInt16(DicomTag tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        Dataset.Add(new DicomElement(tag, DicomVR.US, bytes));
    }

    private void SetOptionalUInt16(DicomTag tag, ushort? value)
    {
        if (value is { } v)
        {
            SetUInt16(tag, v);
        }
        else
        {
            Dataset.Remove(tag);
        }
    }

    private string? GetText(DicomTag tag) =>
        Dataset.Find(tag) is { } e ? Encoding.ASCII.GetString(e.GetBytes().Span).Trim('\0', ' ') : null;

    private void SetText(DicomTag tag, DicomVR vr, string? value)
    {
        if (value is null)
        {
            Dataset.Remove(tag);
            return;
        }

        var raw = Encoding.ASCII.GetBytes(value);
        if ((raw.Length & 1) == 1)
        {
            Array.Resize(ref raw, raw.Length + 1);
            raw[^1] = vr == DicomVR.UI ? (byte)0 : (byte)' ';
        }

        Dataset.Add(new DicomElement(tag, vr, raw));
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private static void WriteHeader(Span<byte> span, DicomTag tag, uint length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], length);
    }

    private static DicomVR VROf(DicomTag tag) => tag.Element switch
    {
        0x0000 => DicomVR.UL,
        0x0002 or 0x0003 or 0x1000 or 0x1001 => DicomVR.UI,
        0x0600 or 0x1030 => DicomVR.AE,
        0x0901 => DicomVR.AT,
        0x0902 => DicomVR.LO,
        0x1005 => DicomVR.AT,
        _ => DicomVR.US,
    };
}
