using System.Diagnostics;
using System.Text.Json;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Api;

/// <summary>The CPU endpoints while the fake RAPL counters move: wraps, power, read failures. One daemon per test.</summary>
public sealed class CpuRoutesChangingCountersTests : IDisposable
{
    private readonly FakeRaplTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private Task<DaemonProcess> StartAsync(params string[] args) =>
        DaemonProcess.StartAsync(["--enable", "cpu-read", .. args], _tree.Environment);

    [Fact]
    public async Task GetCumulativeEnergy_CountersWrap_AddsTheRangePerWrapPerZone()
    {
        _tree.AddPackage(0, energyUj: 900_000, dramEnergyUj: 400_000, maxRangeUj: 1_000_000, dramMaxRangeUj: 500_000);
        await using var daemon = await StartAsync();
        using var client = daemon.CreateClient();
        const string url = "/cpu/get_cumulative_energy?cpu=true&dram=true";
        Assert.Equal("{\"0\":{\"cpu_energy_uj\":900000,\"dram_energy_uj\":400000}}", (await client.CallAsync(url)).Body);

        _tree.SetEnergy(0, 100_000);
        _tree.SetDramEnergy(0, 450_000);
        Assert.Equal("{\"0\":{\"cpu_energy_uj\":1100000,\"dram_energy_uj\":450000}}", (await client.CallAsync(url)).Body);

        _tree.SetEnergy(0, 50_000);
        _tree.SetDramEnergy(0, 5);
        Assert.Equal("{\"0\":{\"cpu_energy_uj\":2050000,\"dram_energy_uj\":500005}}", (await client.CallAsync(url)).Body);

        _tree.SetEnergy(0, 60_000);
        Assert.Equal("{\"0\":{\"cpu_energy_uj\":2060000,\"dram_energy_uj\":null}}",
            (await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=false")).Body);
    }

    [Fact]
    public async Task GetPower_CountersAdvanceDuringTheWindow_IsEnergyOverMeasuredTime()
    {
        _tree.AddPackage(0, energyUj: 1_000_000, dramEnergyUj: 2_000_000).AddPackage(1, energyUj: 3_000_000);
        // 1 Hz: a 1 s window, wide enough to change the counters inside it even on a loaded machine.
        await using var daemon = await StartAsync("--cpu-power-poll-hz", "1");
        using var client = daemon.CreateClient();
        await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=true");

        // Each attempt: +50 J package 0, +10 J DRAM, +25 J package 1: 50 W, 10 W and 25 W over exactly 1 s.
        var (body, totalUs) = await PowerWhileChangingAsync(client, attempt =>
        {
            _tree.SetEnergy(0, 1_000_000 + attempt * 50_000_000UL);
            _tree.SetDramEnergy(0, 2_000_000 + attempt * 10_000_000UL);
            _tree.SetEnergy(1, 3_000_000 + attempt * 25_000_000UL);
        });

        var power = Json.Parse(body).GetProperty("power_mw");
        // The daemon divides by its measured window: at least the 1 s it slept, at most the whole request.
        AssertPower(power.GetProperty("0").GetProperty("cpu_mw"), 50_000_000, totalUs);
        AssertPower(power.GetProperty("0").GetProperty("dram_mw"), 10_000_000, totalUs);
        AssertPower(power.GetProperty("1").GetProperty("cpu_mw"), 25_000_000, totalUs);
        Assert.Equal(JsonValueKind.Null, power.GetProperty("1").GetProperty("dram_mw").ValueKind);
    }

    /// <summary>
    /// Asks for <c>/cpu/get_power</c> (a 1 s window at 1 Hz) and makes the attempt's change 400 ms into it. On a
    /// loaded machine the daemon's first read may come after the change, and the answer then shows no energy used at
    /// all: the counters move on by the same amounts in a new window (counters only ever grow, or wrap, as real ones
    /// do), at most 3 attempts. Returns the answer and how long its request took.
    /// </summary>
    private static async Task<(string Body, double TotalUs)> PowerWhileChangingAsync(HttpClient client, Action<uint> change)
    {
        for (uint attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var request = client.CallAsync("/cpu/get_power");
            await Task.Delay(400);
            change(attempt);
            var (status, body, _) = await request;
            double totalUs = clock.Elapsed.TotalMicroseconds;
            Assert.Equal(200, status);
            bool changeMissed = Json.Parse(body).GetProperty("power_mw").GetProperty("0").GetProperty("cpu_mw").GetUInt32() == 0;
            if (!changeMissed || attempt == 3)
            {
                return (body, totalUs);
            }
        }
    }

    private static void AssertPower(JsonElement milliwatts, ulong deltaUj, double maxElapsedUs)
    {
        double atMost = deltaUj * 1000.0 / 1_000_000;
        double atLeast = deltaUj * 1000.0 / maxElapsedUs;
        Assert.InRange(milliwatts.GetUInt32(), Math.Floor(atLeast), Math.Ceiling(atMost * 1.002));
    }

    [Fact]
    public async Task GetPower_CounterWrapsDuringTheWindow_StillCountsOnlyTheEnergyUsed()
    {
        _tree.AddPackage(0, energyUj: 990_000, maxRangeUj: 1_000_000);
        await using var daemon = await StartAsync("--cpu-power-poll-hz", "1");
        using var client = daemon.CreateClient();
        await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=false");

        // 50 000 µJ used each attempt: across the wrap in the first (990 000 -> 40 000), plainly in any retry.
        var (body, totalUs) = await PowerWhileChangingAsync(client, attempt => _tree.SetEnergy(0, (990_000 + attempt * 50_000UL) % 1_000_000));

        AssertPower(Json.Parse(body).GetProperty("power_mw").GetProperty("0").GetProperty("cpu_mw"), 50_000, totalUs);
    }

    [Fact]
    public async Task Reads_NonNumericCounterAfterStartup_Are500WithIoErrorPerPackage()
    {
        _tree.AddPackage(0, energyUj: 1, dramEnergyUj: 2).AddPackage(1, energyUj: 3);
        await using var daemon = await StartAsync();
        using var client = daemon.CreateClient();
        FakeRaplTree.Replace(_tree.DramEnergyPath(0), "n/a\n");

        var energy = await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=true");
        Assert.Equal(500, energy.Status);
        Assert.Equal("application/json", energy.Response.ContentType());
        Assert.Equal(
            $"{{\"errors\":{{\"0\":\"IOError: invalid digit found in string (InvalidData): {_tree.DramEnergyPath(0)}\"}}}}",
            energy.Body);

        // DRAM not requested: the broken file is not read.
        Assert.Equal(200, (await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=false")).Status);

        FakeRaplTree.Replace(_tree.EnergyPath(1), "");
        var power = await client.CallAsync("/cpu/get_power");
        Assert.Equal(500, power.Status);
        var errors = Json.Parse(power.Body).GetProperty("errors");
        Assert.Equal(2, errors.EnumerateObject().Count());
        Assert.StartsWith("IOError: invalid digit found in string", errors.GetProperty("0").GetString());
        Assert.Equal($"IOError: cannot parse integer from empty string (InvalidData): {_tree.EnergyPath(1)}",
            errors.GetProperty("1").GetString());

        _tree.SetDramEnergy(0, 5);
        _tree.SetEnergy(1, 6);
        Assert.Equal("{\"0\":{\"cpu_energy_uj\":1,\"dram_energy_uj\":5},\"1\":{\"cpu_energy_uj\":6,\"dram_energy_uj\":null}}",
            (await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=true")).Body);
    }

    [Fact]
    public async Task Reads_CounterFileVanishes_Are500NamingTheFile()
    {
        _tree.AddPackage(0, energyUj: 1);
        await using var daemon = await StartAsync();
        using var client = daemon.CreateClient();
        File.Delete(_tree.EnergyPath(0));

        var (status, body, _) = await client.CallAsync("/cpu/get_cumulative_energy?cpu_ids=0&cpu=true&dram=true");

        Assert.Equal(500, status);
        Assert.Equal($"{{\"errors\":{{\"0\":\"IOError: No such file or directory (os error 2): {_tree.EnergyPath(0)}\"}}}}", body);
    }
}
