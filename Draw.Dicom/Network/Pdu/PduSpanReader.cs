using System.Buffers.Binary;
using System.Text;

namespace Draw.Dicom.Network.Pdu;

/// <summary>Reads a PDU body with every length checked against what is left, so a hostile length fails cleanly.</summary>
internal ref struct PduSpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public PduSpanReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte Byte()
    {
        Need(1);
        return _data[_position++];
    }

    public ushort UInt16()
    {
        Need(2);
        var v = BinaryPrimitives.ReadUInt16BigEndian(_data[_position..]);
        _position += 2;
        return v;
    }

    public uint UInt32()
    {
        Need(4);
        var v = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return v;
    }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        Need(count);
        var v = _data.Slice(_position, count);
        _position += count;
        return v;
    }

    public void Skip(int count) => Bytes(count);

    /// <summary>An AE title field: 16 bytes, leading and trailing spaces are not significant (PS3.8 9.3.2).</summary>
    public string AeTitle() => Ascii(Bytes(16)).Trim(' ', '\0');

    /// <summary>A UID or name: trailing NUL padding is tolerated, since some implementations send it.</summary>
    public static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes).TrimEnd('\0', ' ');

    private readonly void Need(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new DicomProtocolException($"a PDU field needs {count} bytes but only {Remaining} remain");
        }
    }
}
