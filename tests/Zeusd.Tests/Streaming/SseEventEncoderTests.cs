using System.Text;
using Zeusd.Streaming;

namespace Zeusd.Tests.Streaming;

public sealed class SseEventEncoderTests
{
    [Fact]
    public void Gpu_Sample_IsOneChunkWithTheContractsEvent()
    {
        var sample = SseEventEncoder.Gpu(7, 0, 1762000000123, 1, 75000);

        const string data = "data: {\"timestamp_ms\":1762000000123,\"gpu_id\":1,\"power_mw\":75000}\n\n";
        Assert.Equal($"{data.Length:x}\r\n{data}\r\n", Encoding.UTF8.GetString(sample.Chunk));
        Assert.Equal(data, Encoding.UTF8.GetString(sample.Event.Span));
        Assert.Equal(7, sample.Sequence);
    }

    [Fact]
    public void Cpu_WithAndWithoutDram_WritesNumberOrNull()
    {
        var withDram = SseEventEncoder.Cpu(1, 0, 1762000000000, 0, 85000, 12000);
        var withoutDram = SseEventEncoder.Cpu(2, 0, 1762000000000, 1, 78000, null);

        Assert.Equal("data: {\"timestamp_ms\":1762000000000,\"cpu_id\":0,\"cpu_mw\":85000,\"dram_mw\":12000}\n\n",
            Encoding.UTF8.GetString(withDram.Event.Span));
        Assert.Equal("data: {\"timestamp_ms\":1762000000000,\"cpu_id\":1,\"cpu_mw\":78000,\"dram_mw\":null}\n\n",
            Encoding.UTF8.GetString(withoutDram.Event.Span));
    }

    [Fact]
    public void Gpu_LargestValues_FramesTheLongerEventCorrectly()
    {
        var sample = SseEventEncoder.Gpu(1, 0, ulong.MaxValue, int.MaxValue, uint.MaxValue);

        string chunk = Encoding.UTF8.GetString(sample.Chunk);
        int size = Convert.ToInt32(chunk[..chunk.IndexOf('\r')], 16);
        Assert.Equal(sample.Event.Length, size);
        Assert.EndsWith("\"power_mw\":4294967295}\n\n\r\n", chunk);
    }
}
