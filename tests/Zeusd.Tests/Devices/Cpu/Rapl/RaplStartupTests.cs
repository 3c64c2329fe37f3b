using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Cpu.Rapl;

/// <summary>What the daemon does at startup with RAPL trees that are absent, incomplete or unreadable.</summary>
public sealed class RaplStartupTests : IDisposable
{
    /// <summary>
    /// Root without the capabilities that let root ignore file modes, as under a tight systemd
    /// <c>CapabilityBoundingSet</c>: the root check passes, but a mode-000 file really is unreadable.
    /// </summary>
    private static readonly string[] RootWithoutDacOverride = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"];

    private readonly FakeRaplTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private async Task<(int ExitCode, string Stdout, string Stderr)> ServeToEndAsync(string[]? commandPrefix = null)
    {
        string socket = Path.Combine(_tree.Parent, "zeusd.sock");
        var result = await DaemonProcess.RunToEndAsync(
            ["serve", "--enable", "cpu-read", "--socket-path", socket], _tree.Environment, commandPrefix);
        Assert.False(File.Exists(socket));
        return result;
    }

    [Fact]
    public async Task Serve_NoRaplDirectory_StartsWithZeroCpus()
    {
        var environment = new Dictionary<string, string> { ["ZEUSD_RAPL_DIR"] = Path.Combine(_tree.Parent, "absent") };
        await using var daemon = await DaemonProcess.StartAsync(["--enable", "cpu-read"], environment);
        using var client = daemon.CreateClient();

        Assert.Equal("{\"gpus\":[],\"cpus\":[],\"enabled_api_groups\":[\"cpu-read\"],\"auth_required\":false,\"gpu_ids\":[],\"cpu_ids\":[],\"dram_available\":[]}",
            (await client.CallAsync("/discover")).Body);
        var power = await client.CallAsync("/cpu/get_power");
        Assert.Equal(200, power.Status);
        Assert.Matches("^\\{\"timestamp_ms\":\\d+,\"power_mw\":\\{\\}\\}$", power.Body);
        Assert.Equal("{}", (await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=true")).Body);
        Assert.Equal((400, "{\"error\":\"CPU 0 not found\"}"),
            Status(await client.CallAsync("/cpu/get_cumulative_energy?cpu_ids=0&cpu=true&dram=true")));
        Assert.Contains("RAPL not available", daemon.Output);
    }

    [Fact]
    public async Task Serve_RaplDirectoryUnreadable_StartsWithZeroCpus()
    {
        _tree.AddPackage(0, energyUj: 1);
        File.SetUnixFileMode(_tree.Root, UnixFileMode.None);
        await using var daemon = await DaemonProcess.StartAsync(
            ["--enable", "cpu-read"], _tree.Environment, commandPrefix: RootWithoutDacOverride);
        using var client = daemon.CreateClient();

        Assert.Contains("\"cpus\":[]", (await client.CallAsync("/discover")).Body);
        Assert.Contains("RAPL not available (IOError: Permission denied (os error 13)", daemon.Output);
    }

    [Fact]
    public async Task Serve_EnergyCounterUnreadable_ExitsOneSayingPermissionDenied()
    {
        _tree.AddPackage(0, energyUj: 1, dramEnergyUj: 2);
        File.SetUnixFileMode(_tree.DramEnergyPath(0), UnixFileMode.None);

        var (exit, _, stderr) = await ServeToEndAsync(RootWithoutDacOverride);

        Assert.Equal(1, exit);
        Assert.Equal(
            $"Error: IOError: Permission denied (os error 13): {_tree.DramEnergyPath(0)} " +
            "(reading RAPL energy counters needs root since CVE-2020-8694)\n", stderr);
    }

    [Fact]
    public async Task Serve_EnergyCounterModeZeroAsFullRoot_Serves()
    {
        // Real root reads 0400/000 files regardless of mode, as it reads the kernel's 0400 energy_uj.
        _tree.AddPackage(0, energyUj: 42);
        File.SetUnixFileMode(_tree.EnergyPath(0), UnixFileMode.None);
        await using var daemon = await DaemonProcess.StartAsync(["--enable", "cpu-read"], _tree.Environment);
        using var client = daemon.CreateClient();

        Assert.Equal("{\"0\":{\"cpu_energy_uj\":42,\"dram_energy_uj\":null}}",
            (await client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=true")).Body);
    }

    [Theory]
    [InlineData(null, "name")]
    [InlineData(null, "energy_uj")]
    [InlineData(null, "max_energy_range_uj")]
    [InlineData(1, "energy_uj")]
    public async Task Serve_ZoneFileMissing_ExitsOneWithInitializationError(int? subzone, string file)
    {
        _tree.AddPackage(0, energyUj: 1).AddPackage(1, energyUj: 2, dramEnergyUj: 3);
        File.Delete(Path.Combine(_tree.ZoneDirectory(1, subzone), file));

        var (exit, stdout, stderr) = await ServeToEndAsync();

        Assert.Equal(1, exit);
        Assert.Equal("Error: Initialization for CPU 1 unexpectedly errored.\n", stderr);
        Assert.Contains(Path.Combine(_tree.ZoneDirectory(1, subzone), file), stdout);
    }

    [Fact]
    public async Task Serve_NonNumericCounterAtStartup_ExitsOneWithIoError()
    {
        _tree.AddPackage(0, energyUj: 1);
        File.WriteAllText(_tree.EnergyPath(0), "unknown\n");

        var (exit, _, stderr) = await ServeToEndAsync();

        Assert.Equal(1, exit);
        Assert.Equal($"Error: IOError: invalid digit found in string (InvalidData): {_tree.EnergyPath(0)}\n", stderr);
    }

    [Fact]
    public async Task Serve_RaplDirectoryAsNonRoot_StillRefusesCpuReadFirst()
    {
        _tree.AddPackage(0, energyUj: 1);
        File.SetUnixFileMode(_tree.Parent, (UnixFileMode)Convert.ToInt32("777", 8));

        var (exit, _, stderr) = await ServeToEndAsync(Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.Equal("Error: API group 'cpu-read' requires root but Zeusd is not running as root\n", stderr);
    }

    private static (int, string) Status((int Status, string Body, HttpResponseMessage _) call) => (call.Status, call.Body);
}
