using System.Text.Json;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Api;

/// <summary>
/// Every GPU endpoint of a daemon on the fake libamd_smi: what the library receives, in which order, and how its
/// answers reach the client. Tests share one daemon, so each sets the state it asserts and removes its faults.
/// </summary>
public sealed class GpuRoutesAmdSmiTests(AmdSmiDaemonFixture node) : IClassFixture<AmdSmiDaemonFixture>
{
    private const string Inval = "AMDSMI error 1: AMDSMI_STATUS_INVAL: Invalid parameters.";
    private const string NotSupported = "AMDSMI error 2: AMDSMI_STATUS_NOT_SUPPORTED: Command not supported.";
    private const string NoPerm = "AMDSMI error 10: AMDSMI_STATUS_NO_PERM: Permission Denied.";
    private const string UnexpectedData = "AMDSMI error 43: AMDSMI_STATUS_UNEXPECTED_DATA: The data read or provided to function is not what was expected.";

    private FakeAmdSmi Fake => node.Fake;

    private HttpClient Client => node.Client;

    private static string Errors(params (int Gpu, string Text)[] errors) =>
        JsonSerializer.Serialize(new { errors = errors.ToDictionary(e => e.Gpu.ToString(), e => e.Text) });

    /// <summary>The clock-limit writes for one GPU since <paramref name="mark"/>: (clock type, MIN=0/MAX=1, MHz, status).</summary>
    private List<(int Clock, int Limit, int Mhz, uint Status)> ClockWrites(long mark, int gpu) =>
        [.. Fake.CallsAfter(mark, FakeAmdSmi.SetClockLimit).Where(c => c.Gpu == gpu)
            .Select(c => (int.Parse(c["clk"]), int.Parse(c["limit"]), int.Parse(c["value"]), c.Status))];

    private int ClockQueries(long mark, int gpu, int clock) =>
        Fake.CallsAfter(mark, FakeAmdSmi.GetClockInfo).Count(c => c.Gpu == gpu && c["clk"] == clock.ToString());

    private async Task ResetAsync(int gpu) =>
        Assert.Equal(200, (await Client.CallPostAsync($"/gpu/reset_locked_clocks?gpu_ids={gpu}&block=true")).Status);

    private async Task SetGfxAsync(int gpu, int min, int max, int expectedStatus = 200) =>
        Assert.Equal(expectedStatus, (await Client.CallPostAsync(
            $"/gpu/set_gpu_locked_clocks?gpu_ids={gpu}&min_clock_mhz={min}&max_clock_mhz={max}&block=true")).Status);

    // ---- /discover ----

    [Fact]
    public async Task Discover_FourGpus_NamesPciAddressesFromTheBdfAndEnergyFlags()
    {
        var (status, body, _) = await Client.CallAsync("/discover");

        Assert.Equal(200, status);
        var gpus = Json.Parse(body).GetProperty("gpus").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], gpus.Select(g => g.GetProperty("id").GetInt32()));
        Assert.Equal(AmdSmiDaemonFixture.Names, gpus.Select(g => g.GetProperty("name").GetString()));
        // Domain ≥ 4 digits (5 when above 0xFFFF), the real function digit, lowercase.
        Assert.Equal(["0000:0c:00.0", "0000:22:1f.0", "0001:c5:00.7", "12345:3b:02.1"], gpus.Select(g => g.GetProperty("pci_address").GetString()));
        Assert.Equal([true, true, true, false], gpus.Select(g => g.GetProperty("cumulative_energy_available").GetBoolean()));
    }

    /// <summary>
    /// The Zeus client's <c>ZeusdAMDGPU</c> keeps the daemon GPU whose <c>pci_address.lower()</c> equals its local
    /// <c>amdsmi_get_gpu_device_bdf(handle).lower()</c>. The local side is AMD's Python binding formatting the same
    /// u64 the library returns (<c>_format_bdf</c>: <c>{domain:04x}:{bus:02x}:{device:02x}.{function}</c>); this
    /// formats what the fake actually returned for each GPU that way and checks each matches exactly one daemon GPU.
    /// </summary>
    [Fact]
    public async Task Discover_PciAddress_EqualsPythonAmdSmiBdfOfWhatTheLibraryReturned()
    {
        var daemonGpus = Json.Parse((await Client.CallAsync("/discover")).Body).GetProperty("gpus").EnumerateArray()
            .Select(g => (Id: g.GetProperty("id").GetInt32(), Pci: g.GetProperty("pci_address").GetString()!)).ToList();
        var returned = Fake.Calls(FakeAmdSmi.GetBdf).Where(c => c.Status == 0)
            .GroupBy(c => c.Gpu!.Value).ToDictionary(g => g.Key, g => Convert.ToUInt64(g.First()["bdf"], 16));

        Assert.Equal(4, returned.Count);
        foreach (var (gpu, raw) in returned)
        {
            string local = PythonFormatBdf(raw).ToLowerInvariant();
            var matches = daemonGpus.Where(g => g.Pci.ToLowerInvariant() == local).ToList();
            Assert.Single(matches);
            Assert.Equal(gpu, matches[0].Id);
            Assert.Equal(AmdSmiDaemonFixture.Bdfs[gpu], raw);
        }
    }

    /// <summary>ROCm/amdsmi <c>py-interface/amdsmi_interface.py</c> <c>_format_bdf</c>, transcribed.</summary>
    private static string PythonFormatBdf(ulong raw)
    {
        ulong domain = raw >> 16;
        ulong bus = (raw >> 8) & 0xff;
        ulong device = (raw >> 3) & 0x1f;
        ulong function = raw & 0x7;
        return $"{domain:x4}:{bus:x2}:{device:x2}.{function}";
    }

    // ---- power ----

    [Fact]
    public async Task GetPower_CurrentSocketPower_InMilliwatts()
    {
        Fake.Set("gpu.0.current_w", "321");
        Fake.Set("gpu.1.current_w", "0");

        var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=0,1");

        Fake.Remove("gpu.0.current_w");
        Fake.Remove("gpu.1.current_w");
        Assert.Equal(200, status);
        var power = Json.Parse(body).GetProperty("power_mw");
        Assert.Equal(321_000u, power.GetProperty("0").GetUInt32());
        Assert.Equal(0u, power.GetProperty("1").GetUInt32());
    }

    [Theory]
    [InlineData("0xFFFF")]
    [InlineData("0xFFFFFFFF")]
    public async Task GetPower_ChosenFieldGoesNotAvailable_400NotSupportedWithoutFallingBackToAverage(string notAvailable)
    {
        Fake.Set("gpu.0.current_w", notAvailable);
        Fake.Set("gpu.0.average_w", "250");

        var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=0");

        Fake.Remove("gpu.0.current_w");
        Fake.Remove("gpu.0.average_w");
        Assert.Equal(400, status);
        Assert.Equal(Errors((0, NotSupported)), body);
    }

    [Fact]
    public async Task GetPower_NoPermission_403()
    {
        Fake.Set("fail.amdsmi_get_power_info.1", "10");

        var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=1");

        Fake.Remove("fail.amdsmi_get_power_info.1");
        Assert.Equal(403, status);
        Assert.Equal(Errors((1, NoPerm)), body);
    }

    [Fact]
    public async Task GetPower_OtherStatusOnOneGpuAndNoPermissionOnAnother_500WithBothTexts()
    {
        Fake.Set("fail.amdsmi_get_power_info.1", "10");
        Fake.Set("fail.amdsmi_get_power_info.2", "43");

        var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=0,1,2");

        Fake.Remove("fail.amdsmi_get_power_info.1");
        Fake.Remove("fail.amdsmi_get_power_info.2");
        Assert.Equal(500, status);
        Assert.Equal(Errors((1, NoPerm), (2, UnexpectedData)), body);
    }

    [Theory]
    [InlineData("status_string", "fail", 43u, "AMDSMI error 43: 43")]
    [InlineData("status_string", "null", 43u, "AMDSMI error 43: 43")]
    [InlineData("status_string.12", "I/O went away", 12u, "AMDSMI error 12: I/O went away")]
    [InlineData(null, null, 99u, "AMDSMI error 99: 99")]
    [InlineData(null, null, 4294967295u, "AMDSMI error 4294967295: AMDSMI_STATUS_UNKNOWN_ERROR: An unknown error occurred.")]
    public async Task GetPower_StatusText_LibraryTextOrTheDecimalCodeWhenItHasNone(string? key, string? value, uint code, string expected)
    {
        if (key is not null)
        {
            Fake.Set(key, value!);
        }
        Fake.Set("fail.amdsmi_get_power_info.2", code.ToString());

        var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=2");

        Fake.Remove("fail.amdsmi_get_power_info.2");
        if (key is not null)
        {
            Fake.Remove(key);
        }
        Assert.Equal(500, status);
        Assert.Equal(Errors((2, expected)), body);
    }

    // ---- energy ----

    [Fact]
    public async Task GetCumulativeEnergy_ValidatedGpu_CounterTimesResolutionInMillijoules()
    {
        Fake.Set("gpu.1.energy", "seq:1000000");
        Fake.Set("gpu.1.energy_resolution", "15.3");

        var (status, body, _) = await Client.CallAsync("/gpu/get_cumulative_energy?gpu_ids=1");

        Fake.Remove("gpu.1.energy");
        Fake.Remove("gpu.1.energy_resolution");
        Assert.Equal(200, status);
        // trunc(1e6 × (double)15.3f / 1000): the float resolution widened, not the decimal 15.3.
        Assert.Equal((ulong)Math.Truncate(1_000_000 * (double)15.3f / 1000), Json.Parse(body).GetProperty("1").GetProperty("energy_mj").GetUInt64());
    }

    [Fact]
    public async Task GetCumulativeEnergy_GpuWithoutValidatedCounter_400InvalidRequestAndNoLibraryCall()
    {
        long mark = Fake.Mark();

        var (status, body, _) = await Client.CallAsync($"/gpu/get_cumulative_energy?gpu_ids={AmdSmiDaemonFixture.GpuWithoutEnergy}");

        Assert.Equal(400, status);
        Assert.Equal(Errors((AmdSmiDaemonFixture.GpuWithoutEnergy,
            "Invalid request: The cumulative energy counter of this GPU is not available. It is either unsupported or failed validation at zeusd startup (see https://github.com/ROCm/amdsmi/issues/38). Poll /gpu/get_power and integrate over time instead.")), body);
        Assert.DoesNotContain(Fake.CallsAfter(mark, FakeAmdSmi.GetEnergyCount), c => c.Gpu == AmdSmiDaemonFixture.GpuWithoutEnergy);
    }

    // ---- power limit ----

    [Fact]
    public async Task SetPowerLimit_Milliwatts_LibraryReceivesMicrowattsAndReadsBack()
    {
        long mark = Fake.Mark();

        var result = await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=215000&block=true");

        Assert.Equal(200, result.Status);
        var set = Assert.Single(Fake.CallsAfter(mark, FakeAmdSmi.SetPowerCap));
        Assert.Equal(("0", "215000000"), (set["sensor"], set["cap"]));
        Assert.Equal("{\"0\":{\"power_limit_mw\":215000}}", (await Client.CallAsync("/gpu/get_power_limit?gpu_ids=0")).Body);
    }

    [Fact]
    public async Task GetPowerLimit_CapNotWholeMilliwatts_Truncated()
    {
        Assert.Equal("{\"2\":{\"power_limit_mw\":300000}}", (await Client.CallAsync("/gpu/get_power_limit?gpu_ids=2")).Body);
    }

    [Fact]
    public async Task GetPowerLimitConstraints_MicrowattRange_TruncatedToMilliwatts()
    {
        var (status, body, _) = await Client.CallAsync("/gpu/get_power_limit_constraints?gpu_ids=1");

        Assert.Equal(200, status);
        Assert.Equal("{\"1\":{\"min_power_limit_mw\":100000,\"max_power_limit_mw\":750000}}", body);
    }

    [Fact]
    public async Task SetPowerLimit_OutsideRange_400Inval()
    {
        var (status, body, _) = await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=99999&block=true");

        Assert.Equal(400, status);
        Assert.Equal(Errors((0, Inval)), body);
    }

    [Fact]
    public async Task SetPowerLimit_NoPermission_403()
    {
        Fake.Set("fail.amdsmi_set_power_cap", "10");

        var (status, body, _) = await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true");

        Fake.Remove("fail.amdsmi_set_power_cap");
        Assert.Equal(403, status);
        Assert.Equal(Errors((1, NoPerm)), body);
    }

    // ---- locked clocks ----

    [Fact]
    public async Task SetGpuLockedClocks_NoKnownRange_QueriesThenMinBeforeMax()
    {
        await ResetAsync(0);
        long mark = Fake.Mark();

        await SetGfxAsync(0, 600, 1800);

        Assert.Equal(1, ClockQueries(mark, 0, 0));
        Assert.Equal([(0, 0, 600, 0u), (0, 1, 1800, 0u)], ClockWrites(mark, 0));
        Assert.Equal((600, 1800), (Fake.Stat("gfx_lo.0"), Fake.Stat("gfx_hi.0")));
        Assert.Equal(3, Fake.Stat("perf.0"));
    }

    [Fact]
    public async Task SetGpuLockedClocks_NewMinAboveKnownMax_MaxFirstWithoutQuery()
    {
        await ResetAsync(0);
        await SetGfxAsync(0, 600, 1800);
        long mark = Fake.Mark();

        await SetGfxAsync(0, 1900, 2500);

        Assert.Equal(0, ClockQueries(mark, 0, 0));
        Assert.Equal([(0, 1, 2500, 0u), (0, 0, 1900, 0u)], ClockWrites(mark, 0));
        Assert.Equal((1900, 2500), (Fake.Stat("gfx_lo.0"), Fake.Stat("gfx_hi.0")));
    }

    [Fact]
    public async Task SetMemLockedClocks_TypeFour_OrderedAgainstTheKnownRange()
    {
        await ResetAsync(1);
        long mark = Fake.Mark();

        Assert.Equal(200, (await Client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=1&min_clock_mhz=1400&max_clock_mhz=1600&block=true")).Status);
        Assert.Equal(200, (await Client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=1&min_clock_mhz=1000&max_clock_mhz=1200&block=true")).Status);

        // Defaults 900..1300: 1400 > 1300, so max first; then 1000 <= 1600, min first.
        Assert.Equal(1, ClockQueries(mark, 1, 4));
        Assert.Equal([(4, 1, 1600, 0u), (4, 0, 1400, 0u), (4, 0, 1000, 0u), (4, 1, 1200, 0u)], ClockWrites(mark, 1));
        Assert.Equal((1000, 1200), (Fake.Stat("mem_lo.1"), Fake.Stat("mem_hi.1")));
    }

    [Fact]
    public async Task SetGpuLockedClocks_RangeChangedOutsideZeusd_FirstWriteFailsThenRequeryAndRetrySucceed()
    {
        await ResetAsync(0);
        await SetGfxAsync(0, 600, 1800);
        // Someone else moved the range to 2200..2500: the known 600..1800 is stale.
        Fake.Set("live.gpu.0.gfx", "2200,2500");
        long mark = Fake.Mark();

        await SetGfxAsync(0, 1900, 2000);

        Fake.Remove("live.gpu.0.gfx");
        // Stale: 1900 > 1800, max first, and 2000 < the live min 2200 fails; requeried 2200..2500: min first.
        Assert.Equal([(0, 1, 2000, 1u), (0, 0, 1900, 0u), (0, 1, 2000, 0u)], ClockWrites(mark, 0));
        Assert.Equal(1, ClockQueries(mark, 0, 0));
        Assert.Equal((1900, 2000), (Fake.Stat("gfx_lo.0"), Fake.Stat("gfx_hi.0")));
        await node.Daemon.WaitForOutputAsync("Failed to set AMD SMI GPU clock type 0 range: AMDSMI error 1: AMDSMI_STATUS_INVAL: Invalid parameters.; the GPU's clock range was likely changed outside zeusd, requerying and retrying");

        // The retry's success is the new known range: the next set is ordered against 1900..2000 without a query.
        mark = Fake.Mark();
        await SetGfxAsync(0, 2050, 2100);
        Assert.Equal([(0, 1, 2100, 0u), (0, 0, 2050, 0u)], ClockWrites(mark, 0));
        Assert.Equal(0, ClockQueries(mark, 0, 0));
    }

    [Fact]
    public async Task SetGpuLockedClocks_RetryFails_RestoresTheRangeKnownAtTheStartAndReturnsTheRetryError()
    {
        await ResetAsync(2);
        await SetGfxAsync(2, 700, 1700);
        // The first write and the retry's first write fail; the restore succeeds.
        Fake.Set("fail.amdsmi_set_gpu_clk_limit.2", "1:count=2");
        long mark = Fake.Mark();

        var (status, body, _) = await Client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=2&min_clock_mhz=800&max_clock_mhz=1600&block=true");

        Fake.Remove("fail.amdsmi_set_gpu_clk_limit.2");
        Assert.Equal(400, status);
        Assert.Equal(Errors((2, Inval)), body);
        Assert.Equal([(0, 0, 800, 1u), (0, 0, 800, 1u), (0, 0, 700, 0u), (0, 1, 1700, 0u)], ClockWrites(mark, 2));
        Assert.Equal((700, 1700), (Fake.Stat("gfx_lo.2"), Fake.Stat("gfx_hi.2")));
        Assert.DoesNotContain("Failed to restore AMD SMI GPU clock type 0 range", node.Daemon.Output);

        // The restored range is the known one again: no query before the next set.
        mark = Fake.Mark();
        await SetGfxAsync(2, 750, 1650);
        Assert.Equal(0, ClockQueries(mark, 2, 0));
    }

    [Fact]
    public async Task SetGpuLockedClocks_RetryAndRestoreFail_LogsTheRestoreFailureAndNextSetQueries()
    {
        await ResetAsync(1);
        await SetGfxAsync(1, 700, 1700);
        Fake.Set("fail.amdsmi_set_gpu_clk_limit.1", "1:count=3");
        long mark = Fake.Mark();

        var (status, body, _) = await Client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=1&min_clock_mhz=800&max_clock_mhz=1600&block=true");

        Fake.Remove("fail.amdsmi_set_gpu_clk_limit.1");
        Assert.Equal(400, status);
        Assert.Equal(Errors((1, Inval)), body);
        // Each of the three attempts stops at its first failing write.
        Assert.Equal([(0, 0, 800, 1u), (0, 0, 800, 1u), (0, 0, 700, 1u)], ClockWrites(mark, 1));
        await node.Daemon.WaitForOutputAsync("Failed to restore AMD SMI GPU clock type 0 range after set failure: " + Inval);

        mark = Fake.Mark();
        await SetGfxAsync(1, 750, 1650);
        Assert.Equal(1, ClockQueries(mark, 1, 0));
    }

    [Fact]
    public async Task SetGpuLockedClocks_RequeryFails_ThatErrorAndNothingMoreWritten()
    {
        await ResetAsync(2);
        await SetGfxAsync(2, 700, 1700);
        Fake.Set("fail.amdsmi_set_gpu_clk_limit.2", "1:count=1");
        Fake.Set("fail.amdsmi_get_clock_info.2", "43");
        long mark = Fake.Mark();

        var (status, body, _) = await Client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=2&min_clock_mhz=800&max_clock_mhz=1600&block=true");

        Fake.Remove("fail.amdsmi_get_clock_info.2");
        Fake.Remove("fail.amdsmi_set_gpu_clk_limit.2");
        Assert.Equal(500, status);
        Assert.Equal(Errors((2, UnexpectedData)), body);
        Assert.Equal([(0, 0, 800, 1u)], ClockWrites(mark, 2));
    }

    [Fact]
    public async Task ResetLockedClocks_AutoPerformanceLevel_RangesRestoredAndBothKnownRangesForgotten()
    {
        await SetGfxAsync(3, 600, 1800);
        Assert.Equal(200, (await Client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=3&min_clock_mhz=1000&max_clock_mhz=1200&block=true")).Status);
        Assert.Equal(3, Fake.Stat("perf.3"));
        long mark = Fake.Mark();

        await ResetAsync(3);

        var perf = Assert.Single(Fake.CallsAfter(mark, FakeAmdSmi.SetPerfLevel));
        Assert.Equal((3, "0"), (perf.Gpu, perf["perf"]));
        Assert.Equal(0, Fake.Stat("perf.3"));
        Assert.Equal((500, 2100, 900, 1300), (Fake.Stat("gfx_lo.3"), Fake.Stat("gfx_hi.3"), Fake.Stat("mem_lo.3"), Fake.Stat("mem_hi.3")));
        Assert.Empty(Fake.CallsAfter(mark, FakeAmdSmi.SetClockLimit));

        mark = Fake.Mark();
        await SetGfxAsync(3, 600, 1800);
        Assert.Equal(200, (await Client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=3&min_clock_mhz=1000&max_clock_mhz=1200&block=true")).Status);
        Assert.Equal((1, 1), (ClockQueries(mark, 3, 0), ClockQueries(mark, 3, 4)));
    }

    [Fact]
    public async Task ResetLockedClocks_Fails_MappedAndKnownRangesKept()
    {
        await SetGfxAsync(0, 600, 1800);
        Fake.Set("fail.amdsmi_set_gpu_perf_level.0", "10");

        var (status, body, _) = await Client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=0&block=true");

        Fake.Remove("fail.amdsmi_set_gpu_perf_level.0");
        Assert.Equal(403, status);
        Assert.Equal(Errors((0, NoPerm)), body);
        long mark = Fake.Mark();
        await SetGfxAsync(0, 650, 1750);
        Assert.Equal(0, ClockQueries(mark, 0, 0));
    }

    // ---- what AMD SMI does not offer ----

    [Theory]
    [InlineData("POST", "/gpu/set_persistence_mode?gpu_ids=0,1&enabled=true&block=true", "persistence mode is not supported on AMD GPUs")]
    [InlineData("GET", "/gpu/get_persistence_mode?gpu_ids=0,1", "persistence mode is not supported on AMD GPUs")]
    [InlineData("POST", "/gpu/reset_gpu_locked_clocks?gpu_ids=0,1&block=true", "AMD GPUs cannot reset a single clock domain; use reset_locked_clocks to reset all domains")]
    [InlineData("POST", "/gpu/reset_mem_locked_clocks?gpu_ids=0,1&block=true", "AMD GPUs cannot reset a single clock domain; use reset_locked_clocks to reset all domains")]
    public async Task UnsupportedOperation_400InvalidRequestPerGpuAndNoLibraryCall(string method, string url, string text)
    {
        long mark = Fake.Mark();

        var (status, body, _) = await Client.CallAsync(url, new HttpMethod(method));

        Assert.Equal(400, status);
        Assert.Equal(Errors((0, "Invalid request: " + text), (1, "Invalid request: " + text)), body);
        Assert.DoesNotContain(Fake.CallsAfter(mark), c => c.Gpu is 0 or 1);
    }

    [Fact]
    public async Task UnsupportedOperation_NonBlocking_200AndTheFailureLogged()
    {
        var (status, body, _) = await Client.CallPostAsync("/gpu/reset_mem_locked_clocks?gpu_ids=2&block=false");

        Assert.Equal(200, status);
        Assert.Equal("", body);
        await node.Daemon.WaitForOutputAsync("GPU 2: non-blocking reset_mem_locked_clocks failed: Invalid request: AMD GPUs cannot reset a single clock domain");
    }
}
