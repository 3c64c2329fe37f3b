using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Gpu.Nvml;

/// <summary>How the daemon finds NVML (or does not) at startup, through the production loader and the fake library.</summary>
public sealed class NvmlGpuBackendTests
{
    private static readonly string[] GpuGroups = ["--enable", "gpu-control,gpu-read"];

    /// <summary>An environment whose loader path holds no NVML (this machine has no NVIDIA driver).</summary>
    private static Dictionary<string, string> WithoutNvml(string directory)
    {
        string empty = Path.Combine(directory, "no-nvml");
        Directory.CreateDirectory(empty);
        return new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = empty };
    }

    [Fact]
    public async Task Auto_NvmlAbsent_ServesZeroGpus()
    {
        string directory = DaemonProcess.NewTempDirectory();
        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, WithoutNvml(directory), directory);
        using var client = daemon.CreateClient();

        var discover = await client.CallAsync("/discover");
        var power = await client.CallAsync("/gpu/get_power");
        var explicitId = await client.CallAsync("/gpu/get_power?gpu_ids=0");
        var write = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true");

        Assert.Equal("{\"gpus\":[],\"cpus\":[],\"enabled_api_groups\":[\"gpu-control\",\"gpu-read\"],\"auth_required\":false,\"gpu_ids\":[],\"cpu_ids\":[],\"dram_available\":[]}", discover.Body);
        Assert.Equal(200, power.Status);
        Assert.Matches("^\\{\"timestamp_ms\":\\d+,\"power_mw\":\\{\\}\\}$", power.Body);
        foreach (var read in new[] { "get_cumulative_energy", "get_power_limit", "get_power_limit_constraints", "get_persistence_mode" })
        {
            var (status, body, _) = await client.CallAsync("/gpu/" + read);
            Assert.Equal((200, "{}"), (status, body));
        }
        Assert.Equal((400, "{\"error\":\"GPU 0 not found\"}"), (explicitId.Status, explicitId.Body));
        Assert.Equal((400, "GPU index 0 does not exist."), (write.Status, write.Body));
        Assert.Equal("text/plain; charset=utf-8", write.Response.ContentType());
        Assert.Contains("NVML backend probe failed: the NVML library could not be loaded (tried libnvidia-ml.so.1, libnvidia-ml.so)", daemon.Output);
    }

    [Fact]
    public async Task NvmlMode_NvmlAbsent_ExitsWithClearError()
    {
        string directory = DaemonProcess.NewTempDirectory();
        try
        {
            string socket = Path.Combine(directory, "zeusd.sock");

            var (exitCode, _, stderr) = await DaemonProcess.RunToEndAsync(
                ["serve", "--socket-path", socket, "--gpu-backend", "nvml", .. GpuGroups], WithoutNvml(directory));

            Assert.Equal(1, exitCode);
            Assert.StartsWith(
                "Error: --gpu-backend nvml: NVML is not usable: the NVML library could not be loaded (tried libnvidia-ml.so.1, libnvidia-ml.so): ",
                stderr);
            Assert.False(File.Exists(socket));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task NvmlMode_DriverNotLoaded_ExitsWithNvmlText()
    {
        using var nvml = new FakeNvml(initFailure: "driver_not_loaded");
        string socket = Path.Combine(nvml.ControlDirectory, "zeusd.sock");

        var (exitCode, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--socket-path", socket, "--gpu-backend", "nvml", .. GpuGroups], nvml.Environment);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            "Error: --gpu-backend nvml: NVML is not usable: nvmlInit_v2 failed: NVML error: NVIDIA driver is not loaded (driver says: Driver Not Loaded)\n",
            stderr);
    }

    [Fact]
    public async Task Auto_DriverNotLoaded_WarnsAndServesZeroGpus()
    {
        using var nvml = new FakeNvml(initFailure: "driver_not_loaded");
        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, nvml.Environment);
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);

        Assert.Equal(0, discover.GetProperty("gpus").GetArrayLength());
        Assert.Contains("NVML backend probe failed: nvmlInit_v2 failed: NVML error: NVIDIA driver is not loaded", daemon.Output);
        Assert.Contains("Treating it as zero GPUs.", daemon.Output);
    }

    [Fact]
    public async Task Auto_NvmlWithGpus_ProbesThenOpensEachGpuUnderItsOwnInitializationAndReleasesAllAtExit()
    {
        using var nvml = new FakeNvml(gpuCount: 2);
        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, nvml.Environment);
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);
        var startup = nvml.Calls().Select(c => c.Line[(c.Line.IndexOf(' ') + 1)..]).ToList();
        int exitCode = await daemon.StopAsync();

        Assert.Equal(2, discover.GetProperty("gpus").GetArrayLength());
        Assert.Equal(
        [
            // The probe: a temporary initialization, released again.
            "nvmlInit_v2", "nvmlDeviceGetCount_v2", "nvmlShutdown",
            // Each GPU's management handle: its own initialization, name, PCI address, energy-counter check.
            "nvmlInit_v2", "nvmlDeviceGetHandleByIndex_v2 index=0", "nvmlDeviceGetName gpu=0 length=96",
            "nvmlDeviceGetPciInfo_v3 gpu=0", "nvmlDeviceGetTotalEnergyConsumption gpu=0",
            "nvmlInit_v2", "nvmlDeviceGetHandleByIndex_v2 index=1", "nvmlDeviceGetName gpu=1 length=96",
            "nvmlDeviceGetPciInfo_v3 gpu=1", "nvmlDeviceGetTotalEnergyConsumption gpu=1",
            // The pollers' independent handles.
            "nvmlInit_v2", "nvmlDeviceGetHandleByIndex_v2 index=0",
            "nvmlInit_v2", "nvmlDeviceGetHandleByIndex_v2 index=1",
        ], startup);
        Assert.Equal(0, exitCode);
        var all = nvml.Calls();
        Assert.Equal(all.Count(c => c.Function == "nvmlInit_v2"), all.Count(c => c.Function == "nvmlShutdown"));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("nvml")]
    public async Task Backend_NvmlWithZeroGpus_ServesZeroGpus(string backend)
    {
        using var nvml = new FakeNvml(gpuCount: 0);
        await using var daemon = await DaemonProcess.StartAsync(["--gpu-backend", backend, .. GpuGroups], nvml.Environment);
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);

        Assert.Equal(0, discover.GetProperty("gpus").GetArrayLength());
        Assert.Equal(["nvmlInit_v2", "nvmlDeviceGetCount_v2", "nvmlShutdown"], nvml.Calls().Select(c => c.Function));
    }

    [Fact]
    public async Task Startup_EnergyCheckFailsWithOtherThanNotSupported_ExitsWithThatError()
    {
        using var nvml = new FakeNvml(gpuCount: 2);
        nvml.SetFault(1, FakeNvml.GetTotalEnergy, "unknown");
        string socket = Path.Combine(nvml.ControlDirectory, "zeusd.sock");

        var (exitCode, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--socket-path", socket, .. GpuGroups], nvml.Environment);

        Assert.Equal(1, exitCode);
        Assert.Equal("Error: Failed to initialize GPU 1: NVML error: an internal driver error occured\n", stderr);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task Stop_GpuStuckInDriverCall_DaemonStillExitsPromptly()
    {
        using var nvml = new FakeNvml(gpuCount: 2);
        nvml.SetFault(1, FakeNvml.GetPowerLimit, "block");
        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, nvml.Environment);
        using var client = daemon.CreateClient();
        var stuck = client.CallAsync("/gpu/get_power_limit?gpu_ids=1");
        await nvml.WaitForCallAsync(c => c.Function == FakeNvml.GetPowerLimit);

        // The request can never finish; the graceful stop gives up on it after its budget rather than hang.
        int exitCode = await daemon.StopAsync(TimeSpan.FromSeconds(12));

        Assert.Equal(0, exitCode);
        Assert.Contains("GPU 1 is still inside a device call", daemon.Output);
        await Assert.ThrowsAnyAsync<Exception>(() => stuck);
    }

    [Fact]
    public async Task Loader_OnlyUnversionedLibrary_FallsBackToLibnvidiaMlSo()
    {
        using var nvml = new FakeNvml(gpuCount: 1);
        string directory = Path.Combine(nvml.ControlDirectory, "lib");
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(FakeNvml.LibraryDirectory, "libnvidia-ml.so.1"), Path.Combine(directory, "libnvidia-ml.so"));
        var environment = nvml.Environment;
        environment["LD_LIBRARY_PATH"] = directory;

        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, environment);
        using var client = daemon.CreateClient();

        var body = (await client.CallAsync("/discover")).Body;
        Assert.Matches(new Regex("^\\{\"gpus\":\\[\\{\"id\":0,\"name\":\"NVIDIA A40\",\"pci_address\":\"0000:17:00.0\",\"cumulative_energy_available\":true\\}\\]"), body);
    }
}
