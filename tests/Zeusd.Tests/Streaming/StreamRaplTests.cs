using System.Text.Json;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Streaming;

/// <summary><c>/cpu/stream_power</c> on a fake RAPL tree whose counters the tests step. One daemon per test.</summary>
public sealed class StreamRaplTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeRaplTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private Task<DaemonProcess> StartAsync(params string[] args) =>
        DaemonProcess.StartAsync(["--enable", "cpu-read", .. args], _tree.Environment);

    private static JsonElement Data(string chunk) => JsonDocument.Parse(chunk["data: ".Length..]).RootElement;

    /// <summary>Reads events until each condition was met by some event, failing after <see cref="Timeout"/>.</summary>
    private static async Task<JsonElement[]> ReadUntilAsync(SseConnection stream, params Func<JsonElement, bool>[] conditions)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var found = new JsonElement?[conditions.Length];
        var seen = new List<string>();
        while (found.Any(f => f is null) && DateTime.UtcNow < deadline)
        {
            if (await stream.ReadChunkAsync(deadline - DateTime.UtcNow) is not { Length: > 0 } chunk)
            {
                break;
            }
            seen.Add(chunk);
            for (int i = 0; i < conditions.Length; i++)
            {
                if (found[i] is null && conditions[i](Data(chunk)))
                {
                    found[i] = Data(chunk);
                }
            }
        }
        Assert.True(found.All(f => f is not null), "no matching event; got:\n" + string.Concat(seen));
        return [.. found.Select(f => f!.Value)];
    }

    [Fact]
    public async Task CpuStream_EnergySteps_PowerIsTheDeltaOverThePeriod()
    {
        _tree.AddPackage(0, energyUj: 1_000_000, dramEnergyUj: 2_000_000).AddPackage(1, energyUj: 3_000_000);
        // A 500 ms period: wide enough that a loaded machine does not stretch it past half a period.
        await using var daemon = await StartAsync("--cpu-power-poll-hz", "2");
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power");

        var still = await stream.ReadEventsAsync(2, Timeout);
        Assert.Equal(
            ["{\"cpu_id\":0,\"cpu_mw\":0,\"dram_mw\":0}", "{\"cpu_id\":1,\"cpu_mw\":0,\"dram_mw\":null}"],
            still.Select(e => "{" + e[(e.IndexOf(",\"cpu_id\"", StringComparison.Ordinal) + 1)..].TrimEnd('\n')).Order());

        // +10 J of package 0 and +1 J of its DRAM between two polls: 20 W and 2 W over 500 ms; +5 J of package 1: 10 W.
        _tree.SetEnergy(0, 11_000_000);
        _tree.SetDramEnergy(0, 3_000_000);
        _tree.SetEnergy(1, 8_000_000);

        // The packages' events interleave in any order.
        await ReadUntilAsync(stream,
            e => e.GetProperty("cpu_id").GetInt32() == 0 && e.GetProperty("cpu_mw").GetInt32() == 20_000,
            e => e.GetProperty("cpu_id").GetInt32() == 1 && e.GetProperty("cpu_mw").GetInt32() == 10_000);
    }

    [Fact]
    public async Task CpuStream_DramStep_DramPowerFromItsOwnDelta()
    {
        _tree.AddPackage(0, energyUj: 1_000_000, dramEnergyUj: 2_000_000);
        await using var daemon = await StartAsync("--cpu-power-poll-hz", "2");
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power?cpu_ids=0");
        await stream.ReadEventsAsync(1, Timeout);

        _tree.SetDramEnergy(0, 3_000_000);

        var stepped = (await ReadUntilAsync(stream, e => e.GetProperty("dram_mw").GetInt32() != 0))[0];
        Assert.Equal(2_000, stepped.GetProperty("dram_mw").GetInt32());
    }

    [Fact]
    public async Task CpuStream_UnreadableCounter_KeepsStreamingAndRecovers()
    {
        _tree.AddPackage(0, energyUj: 1_000_000);
        await using var daemon = await StartAsync("--cpu-power-poll-hz", "4");
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power");
        await stream.ReadEventsAsync(1, Timeout);

        FakeRaplTree.Replace(_tree.EnergyPath(0), "garbage\n");
        var deadline = DateTime.UtcNow + Timeout;
        while (!daemon.Output.Contains("Power poller for CPU 0: reading package energy failed: IOError", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, daemon.Output);
            await Task.Delay(20);
        }
        _tree.SetEnergy(0, 2_000_000);

        var recovered = (await ReadUntilAsync(stream, e => e.GetProperty("cpu_mw").GetInt32() > 0))[0];
        Assert.Equal(JsonValueKind.Null, recovered.GetProperty("dram_mw").ValueKind);
    }

    [Fact]
    public async Task CpuStream_NoPackages_Is200AndNoEvents()
    {
        await using var daemon = await StartAsync();
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/cpu/stream_power");

        Assert.Equal("HTTP/1.1 200 OK", stream.StatusLine);
        Assert.Null(await stream.ReadChunkAsync(TimeSpan.FromSeconds(1)));
    }
}
