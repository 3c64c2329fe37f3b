namespace Zeusd.Streaming;

/// <summary>
/// One published power sample of one device, serialized once and shared by every subscriber.
/// <see cref="Chunk"/> is the whole HTTP/1.1 chunk (<c>size CRLF data: {json} LF LF CRLF</c>), so one write sends it.
/// </summary>
public sealed class StreamSample(long sequence, long polledAt, byte[] chunk, int eventOffset, int eventLength)
{
    /// <summary>Increases with every publish of the slot, across sessions; subscribers compare it to what they sent.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>When the device was read, in <see cref="TimeProvider.GetTimestamp"/> units (for freshness, not for clients).</summary>
    public long PolledAt { get; } = polledAt;

    public byte[] Chunk { get; } = chunk;

    /// <summary>The event alone (<c>data: {json}\n\n</c>), for a response that Kestrel frames itself.</summary>
    public ReadOnlyMemory<byte> Event => Chunk.AsMemory(eventOffset, eventLength);
}
