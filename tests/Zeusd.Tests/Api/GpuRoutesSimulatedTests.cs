using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Api;

/// <summary>The GPU endpoints' request handling against the simulated node (no driver involved).</summary>
public sealed class GpuRoutesSimulatedTests(SimulatedDaemonFixture node) : IClassFixture<SimulatedDaemonFixture>
{
    [Theory]
    [InlineData("/gpu/set_power_limit?gpu_ids=0&block=true", "Query deserialize error: missing field `power_limit_mw`")]
    [InlineData("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=abc&block=true", "Query deserialize error: invalid digit found in string")]
    [InlineData("/gpu/set_persistence_mode?gpu_ids=0&enabled=yes&block=true", "Query deserialize error: provided string was not `true` or `false`")]
    [InlineData("/gpu/reset_locked_clocks?gpu_ids=0&block=true&extra=1", "Query deserialize error: unknown field `extra`, expected `gpu_ids` or `block`")]
    [InlineData("/gpu/set_gpu_locked_clocks?gpu_ids=0&min_clock_mhz=1&min_clock_mhz=2", "Query deserialize error: duplicate field `min_clock_mhz`")]
    [InlineData("/gpu/set_power_limit?gpu_ids=0,4&power_limit_mw=200000&block=false", "GPU index 4 does not exist.")]
    public async Task Write_BadQuery_Returns400Text(string url, string expected)
    {
        var (status, body, response) = await node.Client.CallPostAsync(url);

        Assert.Equal(400, status);
        Assert.Equal(expected, body);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType());
    }

    [Theory]
    [InlineData("/gpu/set_power_limit?gpu_ids=&power_limit_mw=1&block=true", "gpu_ids must contain at least one GPU index")]
    [InlineData("/gpu/set_power_limit?gpu_ids=0,,1&power_limit_mw=1&block=true", "gpu_ids contains an empty GPU index")]
    [InlineData("/gpu/reset_gpu_locked_clocks?gpu_ids=zero&block=true", "Invalid GPU index: zero")]
    public async Task Write_MalformedIdList_Returns400Json(string url, string expected)
    {
        var (status, body, response) = await node.Client.CallPostAsync(url);

        Assert.Equal(400, status);
        Assert.Equal($"{{\"error\":\"{expected}\"}}", body);
        Assert.Equal("application/json", response.ContentType());
    }

    [Theory]
    [InlineData("/gpu/get_power?gpu_ids=1,9", "GPU 9 not found")]
    [InlineData("/gpu/get_power_limit?gpu_ids=7,5", "GPU 5 not found")]
    [InlineData("/gpu/get_cumulative_energy?gpu_ids=", "gpu_ids must contain at least one GPU index")]
    public async Task Read_BadIds_Returns400Json(string url, string expected)
    {
        var (status, body, _) = await node.Client.CallAsync(url);

        Assert.Equal(400, status);
        Assert.Equal($"{{\"error\":\"{expected}\"}}", body);
    }

    [Fact]
    public async Task GetPowerLimitConstraints_SomeGpus_KeyedByIdAscending()
    {
        var (status, body, _) = await node.Client.CallAsync("/gpu/get_power_limit_constraints?gpu_ids=3%2C1");

        Assert.Equal(200, status);
        Assert.Equal("{\"1\":{\"min_power_limit_mw\":100000,\"max_power_limit_mw\":300000},\"3\":{\"min_power_limit_mw\":100000,\"max_power_limit_mw\":300000}}", body);
    }

    [Fact]
    public async Task GetPower_AllGpus_ReturnsTimestampAndEveryGpu()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (status, body, _) = await node.Client.CallAsync("/gpu/get_power");

        Assert.Equal(200, status);
        var json = Json.Parse(body);
        Assert.InRange(json.GetProperty("timestamp_ms").GetInt64(), before - 5, before + 5000);
        var power = json.GetProperty("power_mw");
        Assert.Equal(["0", "1", "2", "3"], power.EnumerateObject().Select(p => p.Name));
        Assert.All(power.EnumerateObject(), p => Assert.InRange(p.Value.GetUInt32(), 100_000u, 300_000u));
    }

    [Fact]
    public async Task GetCumulativeEnergy_Twice_NeverDecreases()
    {
        var first = Json.Parse((await node.Client.CallAsync("/gpu/get_cumulative_energy?gpu_ids=2")).Body);
        await Task.Delay(50);
        var second = Json.Parse((await node.Client.CallAsync("/gpu/get_cumulative_energy?gpu_ids=2")).Body);

        Assert.True(second.GetProperty("2").GetProperty("energy_mj").GetUInt64() > first.GetProperty("2").GetProperty("energy_mj").GetUInt64());
    }
}

/// <summary>Writes against a fresh simulated node each (they change its state).</summary>
public sealed class GpuWritesSimulatedTests
{
    [Fact]
    public async Task SetPowerLimit_Blocking_AppliesToEachRequestedGpuOnly()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--log-level", "debug"]);
        using var client = daemon.CreateClient();

        var (status, body, response) = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=2,0,2&power_limit_mw=150000&block=true");

        Assert.Equal(200, status);
        Assert.Equal("", body);
        Assert.Null(response.ContentType());
        Assert.Equal("{\"0\":{\"power_limit_mw\":150000},\"1\":{\"power_limit_mw\":300000},\"2\":{\"power_limit_mw\":150000},\"3\":{\"power_limit_mw\":300000}}",
            (await client.CallAsync("/gpu/get_power_limit")).Body);
        await daemon.WaitForOutputAsync("dbug: Zeusd.GpuWrites.GpuWritePipeline[1] unauthenticated caller set_power_limit on GPUs [0,2] (power_limit_mw=150000), block=true, via /gpu/set_power_limit");
    }

    [Fact]
    public async Task SetPowerLimit_NoAuthDefaultLogLevel_WritesNoLinePerRequest()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=150000&block=true")).Status);
        }
        await client.CallAsync("/gpu/get_power");
        await Task.Delay(200);

        Assert.DoesNotContain("set_power_limit", daemon.Output);
    }

    [Fact]
    public async Task SetPowerLimit_BlockingOutOfRange_AggregatesPerGpuErrorsAndAppliesNothing()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1,3&power_limit_mw=5&block=true");

        Assert.Equal(400, status);
        var errors = Json.Parse(body).GetProperty("errors");
        Assert.Equal("NVML error: a supplied argument was invalid", errors.GetProperty("1").GetString());
        Assert.Equal("NVML error: a supplied argument was invalid", errors.GetProperty("3").GetString());
        Assert.Contains("\"power_limit_mw\":300000", (await client.CallAsync("/gpu/get_power_limit?gpu_ids=1")).Body);
    }

    [Fact]
    public async Task SetPowerLimit_NonBlockingInvalidValue_Returns200AndLogsTheFailure()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=1&block=false");
        // A blocking read queued behind it returns after the write ran.
        var limit = await client.CallAsync("/gpu/get_power_limit?gpu_ids=0");

        Assert.Equal(200, status);
        Assert.Equal("", body);
        Assert.Equal("{\"0\":{\"power_limit_mw\":300000}}", limit.Body);
        await daemon.WaitForOutputAsync("non-blocking set_power_limit failed: NVML error: a supplied argument was invalid");
    }

    [Fact]
    public async Task NonBlockingWrites_ThenBlockingRead_ReadSeesTheLastWrite()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        for (uint limit = 200_000; limit < 210_000; limit += 1_000)
        {
            Assert.Equal(200, (await client.CallPostAsync($"/gpu/set_power_limit?gpu_ids=1&power_limit_mw={limit}&block=false")).Status);
        }

        Assert.Equal("{\"1\":{\"power_limit_mw\":209000}}", (await client.CallAsync("/gpu/get_power_limit?gpu_ids=1")).Body);
    }

    [Fact]
    public async Task PersistenceAndClocks_SetThenRead_ReflectWhatWasSet()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_persistence_mode?gpu_ids=0,3&enabled=true&block=true")).Status);
        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=0&min_clock_mhz=900&max_clock_mhz=1200&block=true")).Status);
        var badClocks = await client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=0&min_clock_mhz=5000&max_clock_mhz=1000&block=true");

        Assert.Equal("{\"0\":{\"enabled\":true},\"1\":{\"enabled\":false},\"2\":{\"enabled\":false},\"3\":{\"enabled\":true}}",
            (await client.CallAsync("/gpu/get_persistence_mode")).Body);
        Assert.Equal(400, badClocks.Status);
        Assert.Equal("{\"errors\":{\"0\":\"NVML error: a supplied argument was invalid\"}}", badClocks.Body);
        Assert.Equal(200, (await client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=0&block=true")).Status);
    }
}
