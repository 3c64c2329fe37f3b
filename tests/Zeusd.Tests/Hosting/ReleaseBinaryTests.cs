using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Hosting;

/// <summary>
/// The self-contained single-file release binary on a machine without .NET: it starts, serves a simulated node,
/// tells systemd it is ready and stops cleanly. (Opt-in: see <see cref="ReleaseBinaryFactAttribute"/>.)
/// </summary>
public sealed class ReleaseBinaryTests(ReleaseBinaryFixture release) : IClassFixture<ReleaseBinaryFixture>
{
    [ReleaseBinaryFact]
    public async Task Serve_CleanEnvironmentWithoutDotnet_ServesReadsAndWritesAndStopsOnSigterm()
    {
        string dir = DaemonProcess.NewTempDirectory();
        using var listener = new NotifySocketListener(Path.Combine(dir, "notify"));
        var sandbox = NoDotnetSandbox.Prefix(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Address });
        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate"], directory: dir, waitUntilReady: false, commandPrefix: sandbox, binaryPath: release.BinaryPath);

        Assert.Equal("READY=1", await listener.ReceiveAsync(TimeSpan.FromSeconds(20)));
        using var client = daemon.CreateClient();
        var (status, body, _) = await client.CallAsync("/discover");
        Assert.Equal(200, status);
        Assert.Equal(4, Json.Parse(body).GetProperty("gpus").GetArrayLength());
        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=175000&block=true")).Status);
        var limits = Json.Parse((await client.CallAsync("/gpu/get_power_limit?gpu_ids=1")).Body);
        Assert.Equal(175000, limits.GetProperty("1").GetProperty("power_limit_mw").GetInt64());
        Assert.Equal(400, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=9&power_limit_mw=175000&block=true")).Status);

        Assert.Equal(0, await daemon.StopAsync());
        Assert.Equal("STOPPING=1", await listener.ReceiveAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>The overrides file's TOML model is source-generated, so trimming must leave parsing and its texts intact.</summary>
    [ReleaseBinaryFact]
    public async Task Serve_CommandOverrides_LoadAndRunInTheTrimmedBinary()
    {
        using var workspace = new OverrideWorkspace();
        string good = workspace.WriteOverrides(
            $"[set_power_limit]\ncommands = [{OverrideWorkspace.Toml(workspace.Recorder + " {gpu_id} {power_limit_w}")}]\nerror_pattern = '(?i)error'\n");
        await using (var daemon = await DaemonProcess.StartAsync(["--simulate", "--gpu-command-overrides", good], binaryPath: release.BinaryPath))
        {
            Assert.Equal(200, (await daemon.CreateClient().CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=175999&block=true")).Status);
            Assert.Equal(["record [1] [175]"], workspace.Calls());
        }

        string bad = workspace.WriteOverrides("[set_power_limit]\ncommands = ['x']\n[set_fan_speed]\n", name: "bad.toml");
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--gpu-command-overrides", bad, "--socket-path", Path.Combine(workspace.LogDirectory, "s.sock")],
            binaryPath: release.BinaryPath);
        Assert.Equal(1, exit);
        Assert.Contains("    unknown field `set_fan_speed`, expected one of `set_persistence_mode`,", stderr);
    }

    [ReleaseBinaryFact]
    public async Task Version_CleanEnvironmentWithoutDotnet_PrintsVersion()
    {
        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["--version"], commandPrefix: NoDotnetSandbox.Prefix(), binaryPath: release.BinaryPath);

        Assert.True(exit == 0, stderr);
        Assert.Equal("zeusd 0.5.0\n", stdout);
    }

    /// <summary>The control: the framework-dependent test build cannot start in the same sandbox, so it really hides .NET.</summary>
    [ReleaseBinaryFact]
    public async Task Version_FrameworkDependentBuildWithoutDotnet_CannotStart()
    {
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["--version"], commandPrefix: NoDotnetSandbox.Prefix(), binaryPath: DaemonProcess.TestBuildPath);

        Assert.NotEqual(0, exit);
        Assert.Contains("You must install .NET", stderr);
    }
}
