using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices.Gpu.AmdSmi;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Gpu.AmdSmi;

/// <summary>
/// The startup check of AMD energy counters (spec §3.5): the verdict arithmetic, and whole daemons on the fake whose
/// counter models pass, overshoot, undershoot or fail.
/// </summary>
public sealed class AmdSmiEnergyValidationTests
{
    private static async Task<(bool[] Flags, string Output)> StartAsync(Dictionary<string, string> config)
    {
        using var fake = new FakeAmdSmi(config: config);
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        using var client = daemon.CreateClient();
        var flags = Json.Parse((await client.CallAsync("/discover")).Body).GetProperty("gpus").EnumerateArray()
            .Select(g => g.GetProperty("cumulative_energy_available").GetBoolean()).ToArray();
        return (flags, daemon.Output);
    }

    [Theory]
    [InlineData(100_000u, 0ul, 5_001ul, true)]
    [InlineData(100_000u, 0ul, 499_999ul, true)]
    [InlineData(100_000u, 0ul, 500_000ul, false)] // ratio exactly 10: the bound is strict
    [InlineData(100_000u, 0ul, 5_000ul, false)] // ratio exactly 0.1
    [InlineData(100_000u, 1_000ul, 0ul, false)] // the counter went backwards
    [InlineData(0u, 0ul, 50_000ul, false)] // no power to compare with
    public void Judge_RatioStrictlyBetweenATenthAndTen_Passes(uint powerMw, ulong before, ulong after, bool expected)
    {
        Assert.Equal(expected, AmdSmiEnergyValidation.Judge(0, powerMw, before, after, NullLogger.Instance));
    }

    [Fact]
    public async Task Startup_CounterTracksPower_PassesAndServesTheCounter()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["gpus"] = "1" });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);
        var energy = await client.CallAsync("/gpu/get_cumulative_energy?gpu_ids=0");

        Assert.True(discover.GetProperty("gpus")[0].GetProperty("cumulative_energy_available").GetBoolean());
        Assert.Equal(200, energy.Status);
        Assert.Matches(@"GPU 0 cumulative energy counter passed validation: expected 50000\.000 mJ, measured \d+\.000 mJ", daemon.Output);
    }

    [Theory]
    [InlineData("gpu.0.energy_scale", "20", null, null)]
    [InlineData("gpu.0.energy_scale", "0.05", null, null)]
    [InlineData("gpu.0.energy", "seq:0,500000", "gpu.0.energy_resolution", "1.0")]
    [InlineData("gpu.0.energy", "seq:0,500000000", "gpu.0.energy_resolution", "1.0")]
    [InlineData("gpu.0.energy", "seq:0,5000000", "gpu.0.energy_resolution", "1.0")]
    public async Task Startup_CounterOutOfRange_FailsValidationAndOnlyThatGpuLosesTheCounter(string key, string value, string? key2, string? value2)
    {
        var config = new Dictionary<string, string> { ["gpus"] = "2", [key] = value };
        if (key2 is not null)
        {
            config[key2] = value2!;
        }

        var (flags, output) = await StartAsync(config);

        Assert.Equal([false, true], flags);
        Assert.Contains("GPU 0 cumulative energy counter failed validation: expected 50000.000 mJ, measured ", output);
        Assert.Contains("see https://github.com/ROCm/amdsmi/issues/38; clients can poll power and integrate instead", output);
    }

    [Fact]
    public async Task Startup_ExactRatioTen_Fails()
    {
        var (flags, output) = await StartAsync(new() { ["gpus"] = "1", ["gpu.0.energy"] = "seq:0,500000000", ["gpu.0.energy_resolution"] = "1.0" });

        Assert.Equal([false], flags);
        Assert.Contains("GPU 0 cumulative energy counter failed validation: expected 50000.000 mJ, measured 500000.000 mJ", output);
    }

    [Fact]
    public async Task Startup_ZeroPower_CannotValidate()
    {
        var (flags, output) = await StartAsync(new() { ["gpus"] = "1", ["gpu.0.current_w"] = "0" });

        Assert.Equal([false], flags);
        Assert.Contains("GPU 0 power reading is zero or unsupported, so the cumulative energy counter cannot be validated", output);
    }

    [Fact]
    public async Task Startup_PowerUnsupported_TreatedAsZeroPower()
    {
        var (flags, output) = await StartAsync(new() { ["gpus"] = "1", ["gpu.0.current_w"] = "0xFFFF", ["gpu.0.average_w"] = "0xFFFFFFFF", ["gpu.0.energy_w"] = "100" });

        Assert.Equal([false], flags);
        Assert.Contains("AMD SMI GPU 0 power reading selected: Unsupported", output);
        Assert.Contains("GPU 0 power reading is zero or unsupported", output);
    }

    [Theory]
    [InlineData("gpu.0.energy", "unsupported")]
    [InlineData("fail.amdsmi_get_energy_count.0", "2:skip=1")]
    public async Task Startup_CounterUnsupportedAtFirstOrSecondRead_NotSupportedAndNoVerdict(string key, string value)
    {
        var (flags, output) = await StartAsync(new() { ["gpus"] = "2", [key] = value });

        Assert.Equal([false, true], flags);
        Assert.Contains("GPU 0 cumulative energy counter is not supported", output);
        Assert.DoesNotContain("GPU 0 cumulative energy counter passed", output);
        Assert.DoesNotContain("GPU 0 cumulative energy counter failed", output);
    }

    [Theory]
    [InlineData("fail.amdsmi_get_power_info.1", "43:skip=1")] // the validation's power read (the first is the GPU's open)
    [InlineData("fail.amdsmi_get_energy_count.1", "43")]
    [InlineData("fail.amdsmi_get_energy_count.1", "43:skip=1")]
    public async Task Startup_OtherErrorDuringValidation_StartupFails(string key, string value)
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["gpus"] = "2", [key] = value });

        var (code, output) = await AmdSmiDaemon.RunUntilExitAsync(fake.Environment);

        Assert.Equal(1, code);
        Assert.Contains("Error: AMDSMI error 43: AMDSMI_STATUS_UNEXPECTED_DATA", output);
    }

    /// <summary>
    /// Eight GPUs are validated together: every first energy read happens before any second one, so all GPUs share
    /// one half-second wait instead of one each (the original daemon's 8 GPUs cost 4 s).
    /// </summary>
    [Fact]
    public async Task Startup_EightGpus_AllFirstReadsBeforeAnySecondReadSharingOneWait()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["gpus"] = "8" });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var reads = fake.Calls(FakeAmdSmi.GetEnergyCount);
        Assert.Equal(16, reads.Count);
        var byGpu = reads.GroupBy(c => c.Gpu!.Value).ToDictionary(g => g.Key, g => g.OrderBy(c => c.StartNs).ToList());
        long lastFirstRead = byGpu.Values.Max(r => r[0].EndNs);
        long firstSecondRead = byGpu.Values.Min(r => r[1].StartNs);
        Assert.True(lastFirstRead < firstSecondRead, "a second read started before every first read was done");
        Assert.All(byGpu.Values, r => Assert.True(r[1].StartNs - r[0].EndNs >= 500_000_000, "less than the 0.5 s window between reads"));
        Assert.Equal(8, System.Text.RegularExpressions.Regex.Matches(daemon.Output, "cumulative energy counter passed validation").Count);
    }
}
