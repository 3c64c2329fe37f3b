using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Hosting;

/// <summary>
/// The linux-x64 NativeAOT release binary on a machine without .NET: it starts, serves a simulated node, tells
/// systemd it is ready and stops cleanly. (Opt-in: see <see cref="ReleaseBinaryFactAttribute"/>.)
/// </summary>
public sealed class ReleaseBinaryTests(ReleaseBinaryFixture release) : IClassFixture<ReleaseBinaryFixture>
{
    [ReleaseBinaryFact]
    public Task Serve_CleanEnvironmentWithoutDotnet_ServesReadsAndWritesAndStopsOnSigterm() =>
        ReleaseBinaryScenarios.ServeReadWriteAndStopAsync(release.BinaryPath, runner: []);

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
    public Task Version_CleanEnvironmentWithoutDotnet_PrintsVersion() =>
        ReleaseBinaryScenarios.PrintsVersionAsync(release.BinaryPath, runner: []);

    /// <summary>The control: the framework-dependent test build cannot start in the same sandbox, so it really hides .NET.</summary>
    [ReleaseBinaryFact]
    public async Task Version_FrameworkDependentBuildWithoutDotnet_CannotStart()
    {
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["--version"], commandPrefix: NoDotnetSandbox.Prefix(), binaryPath: DaemonProcess.TestBuildPath);

        Assert.NotEqual(0, exit);
        Assert.Contains("You must install .NET", stderr);
    }

    /// <summary>A NativeAOT binary needs nothing but the C library (no libstdc++, no ICU, no OpenSSL at load time).</summary>
    [ReleaseBinaryFact]
    public void Binary_IsNativeExecutable_LinksOnlyTheCLibrary()
    {
        var needed = ElfFile.NeededLibraries(release.BinaryPath);

        Assert.Equal(ElfFile.MachineX64, ElfFile.Machine(release.BinaryPath));
        Assert.All(needed, library => Assert.Matches(@"^(libc|libm|ld-linux-[\w-]+)\.so\.\d+$", library));
    }
}
