namespace Draw.Dicom.Network.Dimse;

/// <summary>Command Field (0000,0100) values (PS3.7 E.1).</summary>
public enum DimseCommandField : ushort
{
    CStoreRequest = 0x0001,
    CStoreResponse = 0x8001,
    CGetRequest = 0x0010,
    CGetResponse = 0x8010,
    CFindRequest = 0x0020,
    CFindResponse = 0x8020,
    CMoveRequest = 0x0021,
    CMoveResponse = 0x8021,
    CEchoRequest = 0x0030,
    CEchoResponse = 0x8030,
    NEventReportRequest = 0x0100,
    NGetRequest = 0x0110,
    NSetRequest = 0x0120,
    NActionRequest = 0x0130,
    NCreateRequest = 0x0140,
    NDeleteRequest = 0x0150,
    CCancelRequest = 0x0FFF,
}

/// <summary>Priority (0000,0700) (PS3.7 9.1.1.1).</summary>
public enum DimsePriority : ushort
{
    Medium = 0,
    High = 1,
    Low = 2,
}

/// <summary>The command set elements of group 0000 (PS3.7 E.1), which the generated dictionary does not hold.</summary>
internal static class DimseTags
{
    public static readonly Core.DicomTag CommandGroupLength = new(0x00000000);
    public static readonly Core.DicomTag AffectedSopClassUid = new(0x00000002);
    public static readonly Core.DicomTag RequestedSopClassUid = new(0x00000003);
    public static readonly Core.DicomTag CommandField = new(0x00000100);
    public static readonly Core.DicomTag MessageId = new(0x00000110);
    public static readonly Core.DicomTag MessageIdBeingRespondedTo = new(0x00000120);
    public static readonly Core.DicomTag MoveDestination = new(0x00000600);
    public static readonly Core.DicomTag Priority = new(0x00000700);
    public static readonly Core.DicomTag CommandDataSetType = new(0x00000800);
    public static readonly Core.DicomTag Status = new(0x00000900);
    public static readonly Core.DicomTag OffendingElement = new(0x00000901);
    public static readonly Core.DicomTag ErrorComment = new(0x00000902);
    public static readonly Core.DicomTag ErrorId = new(0x00000903);
    public static readonly Core.DicomTag AffectedSopInstanceUid = new(0x00001000);
    public static readonly Core.DicomTag RequestedSopInstanceUid = new(0x00001001);
    public static readonly Core.DicomTag NumberOfRemainingSuboperations = new(0x00001020);
    public static readonly Core.DicomTag NumberOfCompletedSuboperations = new(0x00001021);
    public static readonly Core.DicomTag NumberOfFailedSuboperations = new(0x00001022);
    public static readonly Core.DicomTag NumberOfWarningSuboperations = new(0x00001023);
    public static readonly Core.DicomTag MoveOriginatorApplicationEntityTitle = new(0x00001030);
    public static readonly Core.DicomTag MoveOriginatorMessageId = new(0x00001031);

    /// <summary>Command Data Set Type value meaning "no data set follows" (PS3.7 E.1).</summary>
    public const ushort NoDataSet = 0x0101;
}
