using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Gpu.AmdSmi;

/// <summary>
/// How a daemon on the fake libamd_smi starts, or refuses to: the three ABIs, the version check, init, enumeration
/// and each GPU's open (spec §1.3, §3.1-§3.3). One daemon per test.
/// </summary>
public sealed class AmdSmiGpuBackendTests
{
    private static async Task<(int Code, string Output)> RunAsync(Dictionary<string, string> config, int abi = 26, string backend = "amdsmi")
    {
        using var fake = new FakeAmdSmi(abi, config);
        return await AmdSmiDaemon.RunUntilExitAsync(fake.Environment, backend);
    }

    [Theory]
    [InlineData(24, "24.7.1.0")]
    [InlineData(25, "25.25.3.0")]
    [InlineData(26, "26.2.0")]
    public async Task Start_EachAbiWithItsDefaultVersion_ServesPowerFromItsOwnLayout(int abi, string version)
    {
        // Distinct current and average values, and the fake's 0xA5 filler everywhere else: a wrong offset shows.
        using var fake = new FakeAmdSmi(abi, new Dictionary<string, string> { ["gpu.0.current_w"] = "123", ["gpu.0.average_w"] = "77" });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        using var client = daemon.CreateClient();

        var power = await client.CallAsync("/gpu/get_power?gpu_ids=0");
        var discover = Json.Parse((await client.CallAsync("/discover")).Body);

        Assert.Equal(200, power.Status);
        Assert.Equal(123_000u, Json.Parse(power.Body).GetProperty("power_mw").GetProperty("0").GetUInt32());
        Assert.Equal("AMD Instinct MI300X", discover.GetProperty("gpus")[0].GetProperty("name").GetString());
        string path = Path.Combine(fake.LibraryDirectory, $"libamd_smi.so.{abi}");
        Assert.Contains($"Loaded AMD SMI from {path} using ABI {abi}", daemon.Output);
        Assert.Contains($"Initialized AMD SMI {version} from {path} using ABI {abi}", daemon.Output);
        Assert.Contains("AMDSMI backend was selected with 2 GPU(s)", daemon.Output);
    }

    [Fact]
    public async Task Start_Rocm62Version_RefusedNamingTheOldestSupportedRocm()
    {
        var (code, output) = await RunAsync(new() { ["version"] = "24.6.3.0" }, abi: 24);

        Assert.Equal(1, code);
        Assert.Contains("Error: Failed to load AMD SMI: found AMD SMI 24.6.3.0 from ROCm 6.2; the oldest supported ROCm is 6.3", output);
    }

    [Theory]
    [InlineData(26, "25.25.3", "25.25.3")]
    [InlineData(26, "27.0.0", "27.0.0")]
    [InlineData(25, "24.24.0.0", "24.24.0.0")]
    [InlineData(25, "25.3.0.0", "25.3.0.0")]
    public async Task Start_VersionNotOfItsAbi_Incompatible(int abi, string version, string shown)
    {
        var (code, output) = await RunAsync(new() { ["version"] = version }, abi);

        Assert.Equal(1, code);
        Assert.Contains($"Error: Failed to load AMD SMI: libamd_smi.so.{abi} reported incompatible library version {shown}", output);
    }

    [Fact]
    public async Task Start_VersionQueryFails_ThatStatusInTheLoadError()
    {
        var (code, output) = await RunAsync(new() { ["version_status"] = "8" });

        Assert.Equal(1, code);
        Assert.Contains("Error: Failed to load AMD SMI: amdsmi_get_lib_version failed: AMDSMI_STATUS_TIMEOUT: Timeout in API call.", output);
    }

    [Fact]
    public async Task Start_FirstLoadableLibraryHasABadVersion_NoFallbackToTheNextFile()
    {
        using var fake = new FakeAmdSmi(26, new Dictionary<string, string> { ["version"] = "27.0.0" });
        FakeAmdSmi.Install(fake.LibraryDirectory, 25);

        var (code, output) = await AmdSmiDaemon.RunUntilExitAsync(fake.Environment);

        Assert.Equal(1, code);
        Assert.Contains("reported incompatible library version 27.0.0", output);
        Assert.DoesNotContain("libamd_smi.so.25", output);
    }

    [Fact]
    public async Task Start_InitFailsExplicitBackend_Exit1WithTheStatusAndInitCalledOnce()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["init_status"] = "34" });

        var (code, output) = await AmdSmiDaemon.RunUntilExitAsync(fake.Environment);

        Assert.Equal(1, code);
        Assert.Contains("Error: AMDSMI error 34: AMDSMI_STATUS_DRIVER_NOT_LOADED: Processor driver not loaded.", output);
        Assert.Equal(1, fake.Stat("init_calls"));
    }

    [Fact]
    public async Task Start_InitFailsAuto_WarnsAndServesZeroGpus()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["init_status"] = "34" });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake, backend: "auto");
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);

        Assert.Equal(0, discover.GetProperty("gpus").GetArrayLength());
        Assert.Contains("AMDSMI backend probe failed: AMDSMI error 34: AMDSMI_STATUS_DRIVER_NOT_LOADED: Processor driver not loaded.. Treating it as zero GPUs.", daemon.Output);
        Assert.Equal(1, fake.Stat("init_calls"));
    }

    [Fact]
    public async Task Start_TwoGpusWithPollers_InitOnceAndNeverShutDown()
    {
        using var fake = new FakeAmdSmi();
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        Assert.Equal(200, (await daemon.CreateClient().CallAsync("/gpu/get_power")).Status);
        int code = await daemon.StopAsync();

        Assert.Equal(0, code);
        Assert.Equal(1, fake.Stat("init_calls"));
        Assert.Equal(0, fake.Stat("shutdown_calls"));
    }

    [Fact]
    public async Task Start_ZeroGpusExplicit_RunsWithNoGpus()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["gpus"] = "0" });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);
        var write = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true");

        Assert.Equal(0, discover.GetProperty("gpus").GetArrayLength());
        Assert.Equal(400, write.Status);
        Assert.Contains("AMDSMI backend was selected with 0 GPU(s)", daemon.Output);
        Assert.DoesNotContain("energy counter validation", daemon.Output);
    }

    [Fact]
    public async Task Start_SeveralSockets_GpusInSocketThenProcessorOrderUnsorted()
    {
        // Fake GPU N has PCI address 0000:(0x10+N):00.0; sockets: 0 = [GPU 1], 1 = [GPU 0, GPU 2].
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string>
        {
            ["gpus"] = "3", ["gpu.0.socket"] = "1", ["gpu.1.socket"] = "0", ["gpu.2.socket"] = "1",
        });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var gpus = Json.Parse((await daemon.CreateClient().CallAsync("/discover")).Body).GetProperty("gpus").EnumerateArray();

        Assert.Equal(["0000:11:00.0", "0000:10:00.0", "0000:12:00.0"], gpus.Select(g => g.GetProperty("pci_address").GetString()));
    }

    [Fact]
    public async Task Start_SecondHandleCallReturnsFewer_OnlyThoseGpus()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string>
        {
            ["gpus"] = "3", ["layout"] = "single", ["short_list.amdsmi_get_processor_handles"] = "2",
        });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var gpus = Json.Parse((await daemon.CreateClient().CallAsync("/discover")).Body).GetProperty("gpus");

        Assert.Equal(2, gpus.GetArrayLength());
        Assert.Contains("AMDSMI backend was selected with 2 GPU(s)", daemon.Output);
    }

    [Fact]
    public async Task Start_SocketEnumerationFails_Exit1()
    {
        var (code, output) = await RunAsync(new() { ["fail.amdsmi_get_socket_handles"] = "8" });

        Assert.Equal(1, code);
        Assert.Contains("Error: AMDSMI error 8: AMDSMI_STATUS_TIMEOUT: Timeout in API call.", output);
    }

    [Theory]
    [InlineData("0xFFFF", "100", "Average", 100_000)]
    [InlineData("0xFFFFFFFF", "250", "Average", 250_000)]
    [InlineData("0", "250", "Current", 0)]
    public async Task Start_PowerField_CurrentUnlessNotAvailableThenAverage(string current, string average, string chosen, int expectedMw)
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string>
        {
            ["gpus"] = "1", ["gpu.0.current_w"] = current, ["gpu.0.average_w"] = average,
        });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var power = await daemon.CreateClient().CallAsync("/gpu/get_power?gpu_ids=0");

        Assert.Contains($"AMD SMI GPU 0 power reading selected: {chosen}", daemon.Output);
        Assert.Equal(expectedMw, Json.Parse(power.Body).GetProperty("power_mw").GetProperty("0").GetInt32());
    }

    [Fact]
    public async Task Start_NeitherPowerFieldAvailable_UnsupportedAndEveryReadIs400()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string>
        {
            ["gpus"] = "1", ["gpu.0.current_w"] = "0xFFFF", ["gpu.0.average_w"] = "0xFFFF",
        });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        fake.Set("gpu.0.current_w", "300");

        var power = await daemon.CreateClient().CallAsync("/gpu/get_power?gpu_ids=0");

        Assert.Contains("AMD SMI GPU 0 power reading selected: Unsupported", daemon.Output);
        Assert.Equal(400, power.Status);
        Assert.Contains("AMDSMI error 2: AMDSMI_STATUS_NOT_SUPPORTED", power.Body);
    }

    [Theory]
    [InlineData("fail.amdsmi_get_power_info.1", "2", "AMDSMI error 2: AMDSMI_STATUS_NOT_SUPPORTED")]
    [InlineData("fail.amdsmi_get_gpu_asic_info.1", "43", "AMDSMI error 43: ")]
    [InlineData("fail.amdsmi_get_gpu_device_bdf.1", "1", "AMDSMI error 1: AMDSMI_STATUS_INVAL")]
    public async Task Start_GpuOpenReadFails_StartupFails(string key, string value, string text)
    {
        var (code, output) = await RunAsync(new() { [key] = value });

        Assert.Equal(1, code);
        Assert.Contains("Error: Failed to initialize GPU 1: " + text, output);
    }

    [Fact]
    public async Task Start_ClockInfoFails_ToleratedAndTheFirstSetFailsWithThatErrorWritingNothing()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string> { ["gpus"] = "1", ["fail.amdsmi_get_clock_info"] = "2" });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var set = await daemon.CreateClient().CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=0&min_clock_mhz=600&max_clock_mhz=1800&block=true");

        Assert.Equal(400, set.Status);
        Assert.Contains("AMDSMI error 2: AMDSMI_STATUS_NOT_SUPPORTED", set.Body);
        Assert.Empty(fake.Calls(FakeAmdSmi.SetClockLimit));
    }

    [Fact]
    public async Task Start_NameWithoutNulOrInvalidUtf8_All256BytesAndReplacementCharacters()
    {
        using var fake = new FakeAmdSmi(config: new Dictionary<string, string>
        {
            ["gpu.0.name"] = "AMD", ["gpu.0.name_nonul"] = "1", ["gpu.1.name"] = @"AMD \xff\xfe Radeon",
        });
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var gpus = Json.Parse((await daemon.CreateClient().CallAsync("/discover")).Body).GetProperty("gpus");

        Assert.Equal("AMD" + new string('X', 253), gpus[0].GetProperty("name").GetString());
        Assert.Equal("AMD \uFFFD\uFFFD Radeon", gpus[1].GetProperty("name").GetString());
    }
}
