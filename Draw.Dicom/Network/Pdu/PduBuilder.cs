using System.Buffers.Binary;
using System.Text;

namespace Draw.Dicom.Network.Pdu;

/// <summary>Builds a small PDU in big-endian order (association PDUs only; P-DATA is written by the DIMSE writer).</summary>
internal sealed class PduBuilder
{
    private byte[] _buffer = new byte[1024];

    public int Length { get; private set; }

    public void Byte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void UInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    public void UInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    public void Zeros(int count)
    {
        Ensure(count);
        _buffer.AsSpan(Length, count).Clear();
        Length += count;
    }

    /// <summary>An AE title: 16 bytes, padded with spaces (PS3.8 9.3.2).</summary>
    public void AeTitle(string title)
    {
        Span<byte> field = stackalloc byte[16];
        field.Fill((byte)' ');
        var n = Encoding.ASCII.GetBytes(title.AsSpan(0, Math.Min(16, title.Length)), field);
        _ = n;
        Bytes(field);
    }

    /// <summary>Reserves a 2-byte length to fill in with <see cref="EndUInt16Length"/>.</summary>
    public int BeginUInt16Length()
    {
        var at = Length;
        UInt16(0);
        return at;
    }

    public void EndUInt16Length(int at)
    {
        var length = Length - at - 2;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException("a PDU item is longer than 65535 bytes");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), (ushort)length);
    }

    /// <summary>An item with a 2-byte length holding an ASCII UID or name.</summary>
    public void StringItem(byte type, string value)
    {
        Byte(type);
        Byte(0);
        var at = BeginUInt16Length();
        Ensure(value.Length);
        Length += Encoding.ASCII.GetBytes(value, _buffer.AsSpan(Length));
        EndUInt16Length(at);
    }

    /// <summary>The finished PDU with its 6-byte header.</summary>
    public byte[] ToPdu(PduType type)
    {
        var pdu = new byte[PduHeader.Size + Length];
        PduHeader.Write(pdu, type, (uint)Length);
        _buffer.AsSpan(0, Length).CopyTo(pdu.AsSpan(PduHeader.Size));
        return pdu;
    }

    private void Ensure(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}
