using System.Buffers.Binary;

namespace Draw.Dicom.Network.Pdu;

/// <summary>The 6-byte header every PDU starts with: type, a reserved byte, and the length of the rest (PS3.8 9.3.1).</summary>
public readonly record struct PduHeader(byte Type, uint Length)
{
    public const int Size = 6;

    public bool IsKnownType => Type is >= 1 and <= 7;

    public PduType PduType => (PduType)Type;

    public static PduHeader Parse(ReadOnlySpan<byte> bytes) => new(bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));

    public static void Write(Span<byte> destination, PduType type, uint length)
    {
        destination[0] = (byte)type;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], length);
    }
}
