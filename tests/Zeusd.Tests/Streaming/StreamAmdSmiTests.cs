using System.Text.Json;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Streaming;

/// <summary><c>/gpu/stream_power</c> on the fake libamd_smi: the pollers read through their own GPU handles.</summary>
public sealed class StreamAmdSmiTests
{
    [Fact]
    public async Task GpuStream_TwoAmdGpus_SamplesFollowEachGpusPowerThroughThePollerHandles()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["gpu.0.current_w"] = "140", ["gpu.1.current_w"] = "260" });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        long mark = fake.Mark();
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0,1");

        var first = (await stream.ReadEventsAsync(2, TimeSpan.FromSeconds(10)))
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)
            .ToDictionary(d => d.GetProperty("gpu_id").GetInt32(), d => d.GetProperty("power_mw").GetUInt32());
        fake.Set("gpu.1.current_w", "275");
        uint changed = 0;
        while (changed != 275_000)
        {
            var sample = JsonDocument.Parse((await stream.ReadEventsAsync(1, TimeSpan.FromSeconds(10)))[0]["data: ".Length..]).RootElement;
            if (sample.GetProperty("gpu_id").GetInt32() == 1)
            {
                changed = sample.GetProperty("power_mw").GetUInt32();
            }
        }

        Assert.Equal(new Dictionary<int, uint> { [0] = 140_000, [1] = 260_000 }, first);
        // Nothing but the pollers read power here: no request was sent to the management queues.
        Assert.NotEmpty(fake.CallsAfter(mark, FakeAmdSmi.GetPowerInfo));
    }
}
