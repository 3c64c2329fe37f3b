using Zeusd.Cli;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Cli;

/// <summary>The first command line (zeusd ≤ 0.3: no subcommand, <c>--allow-unprivileged</c>), still served.</summary>
public sealed class LegacyCommandLineTests
{
    [Fact]
    public void Parse_NoSubcommand_DefaultsToTheOldSocketPath()
    {
        var root = ZeusdCommandLine.Create().Parse([]);
        var serve = ZeusdCommandLine.Create().Parse(["serve"]);

        Assert.Empty(root.Errors);
        Assert.Equal("/var/run/zeusd.sock", root.GetValue<string>("--socket-path"));
        Assert.Equal("/run/zeusd/zeusd.sock", serve.GetValue<string>("--socket-path"));
    }

    [Fact]
    public async Task Run_NoSubcommand_ServesWithEveryServeFlagAndWarnsItIsDeprecated()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--enable", "gpu-read"], subcommand: null);
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.CallAsync("/discover");

        Assert.Equal(200, status);
        Assert.Contains("\"enabled_api_groups\":[\"gpu-read\"]", body);
        Assert.Contains("Running zeusd without a subcommand is deprecated; use 'zeusd serve", daemon.Output);
    }

    [Fact]
    public async Task Run_UnknownFlagWithoutSubcommand_ExitsTwo()
    {
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["--no-such-flag"]);

        Assert.Equal(2, exit);
        Assert.Contains("--no-such-flag", stderr);
    }

    [Fact]
    public async Task Run_RootOnlyGroupAsUnprivilegedUserWithoutTheFlag_ExitsOne()
    {
        string dir = WorldReachableDirectory();

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["--enable", "gpu-control", "--socket-path", Path.Combine(dir, "zeusd.sock")], commandPrefix: Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.Equal("Error: API group 'gpu-control' requires root but Zeusd is not running as root\n", stderr);
    }

    [Fact]
    public async Task Run_AllowUnprivilegedAsUnprivilegedUser_StartsAndPrivilegedCallsFailPerRequest()
    {
        using var nvml = new FakeNvml(gpuCount: 1);
        nvml.SetFault(0, FakeNvml.SetPowerLimit, "no_permission");
        File.SetUnixFileMode(nvml.ControlDirectory, (UnixFileMode)Convert.ToInt32("755", 8));
        // The fake library from a directory uid 65534 can reach, wherever the checkout is (a 700 one in CI).
        string lib = WorldReachableDirectory();
        File.Copy(Path.Combine(FakeNvml.LibraryDirectory, "libnvidia-ml.so.1"), Path.Combine(lib, "libnvidia-ml.so.1"));
        var environment = nvml.Environment;
        environment["LD_LIBRARY_PATH"] = lib;
        await using var daemon = await DaemonProcess.StartAsync(
            ["--allow-unprivileged", "--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read"], environment,
            directory: WorldReachableDirectory(), commandPrefix: Unprivileged.Prefix, subcommand: null);
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.PostBodyAsync("/gpu/0/set_power_limit", "{\"power_limit_mw\":150000,\"block\":true}");

        Assert.Equal((403, "NVML error: the current user does not have permission to perform this operation"), (status, body));
        Assert.Equal(200, (await client.CallAsync("/gpu/get_power_limit")).Status);
    }

    /// <summary>A directory the unprivileged daemon can create its socket in (sticky, like /tmp).</summary>
    private static string WorldReachableDirectory()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));
        return dir;
    }
}
