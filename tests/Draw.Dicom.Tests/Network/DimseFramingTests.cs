using System.Buffers.Binary;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;

namespace Draw.Dicom.Tests.Network;

/// <summary>
/// The message writer packs many P-DATA-TF PDUs into one transport write: every PDU must still respect the
/// peer's maximum, carry one PDV, flag only the last fragment, and the reader must get the data set back.
/// </summary>
public sealed class DimseFramingTests
{
    public static TheoryData<int, uint, bool> Cases => new()
    {
        { 0, 1024, true },
        { 1, 1024, true },
        { 1017, 1024, true },
        { 1018, 1024, false },
        { 1019, 1024, false },
        { 2036, 1024, true },
        { 2036, 1024, false },
        { 300_001, 1024, true },
        { 300_001, 1024, false },
        { 600_000, 16384, true },
        { 600_000, 16384, false },
        { 3_000_000, 0, true },
        { 3_000_001, 0, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Data_sets_of_any_length_are_framed_within_the_peer_maximum_and_read_back_whole(int length, uint peerMax, bool seekable)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        using var wire = new MemoryStream();
        var writer = new DimseMessageWriter(wire, new SemaphoreSlim(1, 1)) { PeerMaxPduLength = peerMax };
        var command = DicomCommand.StoreRequest(7, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4");
        await using (var source = seekable ? new MemoryStream(data, writable: false) : (Stream)new ForwardOnlyStream(data))
        {
            await writer.SendAsync(3, command, source, CancellationToken.None);
        }

        var fragments = Fragments(wire.ToArray(), peerMax == 0 ? DimseMessageWriter.UnlimitedPduCap : peerMax);
        var dataFragments = fragments.Where(f => !f.IsCommand).ToList();
        Assert.All(fragments, f => Assert.Equal(3, f.ContextId));
        Assert.Single(fragments, f => f.IsCommand && f.IsLast);
        Assert.Single(dataFragments, f => f.IsLast);
        Assert.True(dataFragments[^1].IsLast, "the last data fragment is flagged");
        Assert.All(dataFragments.SkipLast(1), f => Assert.Equal(0, f.Length % 2));

        wire.Position = 0;
        var reader = new DimseMessageReader(new PduReader(wire), 0);
        using var received = new MemoryStream();
        var message = await reader.ReadAsync((_, _, _) => ValueTask.FromResult<Stream>(received), CancellationToken.None);
        Assert.Equal(UpperLayerEventKind.Message, message.Kind);
        Assert.Equal("1.2.3.4", message.Message!.Command.AffectedSopInstanceUid);
        var expected = length % 2 == 1 ? [.. data, 0] : data;
        Assert.Equal(expected, received.ToArray());
        Assert.Equal(expected.Length, writer.DataBytesSent);
    }

    /// <summary>Splits the wire bytes into PDVs, checking that each PDU fits the maximum and holds exactly one PDV.</summary>
    private static List<(byte ContextId, bool IsCommand, bool IsLast, int Length)> Fragments(byte[] wire, uint maxPdu)
    {
        var fragments = new List<(byte, bool, bool, int)>();
        var at = 0;
        while (at < wire.Length)
        {
            Assert.Equal((byte)PduType.DataTransfer, wire[at]);
            var pduLength = BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(at + 2));
            Assert.InRange(pduLength, 6u, maxPdu);
            var itemLength = BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(at + 6));
            Assert.Equal(pduLength - 4, itemLength);
            var control = wire[at + 11];
            fragments.Add((wire[at + 10], (control & 1) != 0, (control & 2) != 0, (int)itemLength - 2));
            at += 6 + (int)pduLength;
        }

        Assert.Equal(wire.Length, at);
        return fragments;
    }

    /// <summary>A stream without a length, handing out at most 1000 bytes per read, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
