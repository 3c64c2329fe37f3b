using System.Buffers;
using System.Buffers.Text;
using Zeusd.Common;

namespace Zeusd.Streaming;

/// <summary>
/// Builds an SSE power event (<c>data: {json}\n\n</c>, contract §5.1) already wrapped as one HTTP/1.1 chunk, so that a
/// publish serializes once and each subscriber's delivery is a single copy of shared bytes.
/// </summary>
public static class SseEventEncoder
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>The end of a chunked body, sent when the server ends a stream (shutdown).</summary>
    public static ReadOnlySpan<byte> LastChunk => "0\r\n\r\n"u8;

    /// <summary><c>{"timestamp_ms":..,"gpu_id":..,"power_mw":..}</c></summary>
    public static StreamSample Gpu(long sequence, long polledAt, ulong timestampMs, int gpuId, uint powerMw) =>
        Encode(sequence, polledAt, CompactJson.Serialize((timestampMs, gpuId, powerMw), static (writer, s) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("timestamp_ms"u8, s.timestampMs);
            writer.WriteNumber("gpu_id"u8, s.gpuId);
            writer.WriteNumber("power_mw"u8, s.powerMw);
            writer.WriteEndObject();
        }));

    /// <summary><c>{"timestamp_ms":..,"cpu_id":..,"cpu_mw":..,"dram_mw":..|null}</c></summary>
    public static StreamSample Cpu(long sequence, long polledAt, ulong timestampMs, int cpuId, uint cpuMw, uint? dramMw) =>
        Encode(sequence, polledAt, CompactJson.Serialize((timestampMs, cpuId, cpuMw, dramMw), static (writer, s) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("timestamp_ms"u8, s.timestampMs);
            writer.WriteNumber("cpu_id"u8, s.cpuId);
            writer.WriteNumber("cpu_mw"u8, s.cpuMw);
            if (s.dramMw is { } dram)
            {
                writer.WriteNumber("dram_mw"u8, dram);
            }
            else
            {
                writer.WriteNull("dram_mw"u8);
            }
            writer.WriteEndObject();
        }));

    private static StreamSample Encode(long sequence, long polledAt, ReadOnlySpan<byte> json)
    {
        int eventLength = DataPrefix.Length + json.Length + EventEnd.Length;
        Span<byte> size = stackalloc byte[8];
        Utf8Formatter.TryFormat(eventLength, size, out int sizeLength, new StandardFormat('x'));
        int eventOffset = sizeLength + CrLf.Length;
        var chunk = new byte[eventOffset + eventLength + CrLf.Length];
        var span = chunk.AsSpan();
        size[..sizeLength].CopyTo(span);
        CrLf.CopyTo(span[sizeLength..]);
        var body = span[eventOffset..];
        DataPrefix.CopyTo(body);
        json.CopyTo(body[DataPrefix.Length..]);
        EventEnd.CopyTo(body[(DataPrefix.Length + json.Length)..]);
        CrLf.CopyTo(span[(eventOffset + eventLength)..]);
        return new StreamSample(sequence, polledAt, chunk, eventOffset, eventLength);
    }
}
