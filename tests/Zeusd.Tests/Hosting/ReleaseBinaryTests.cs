using Zeusd.Tests.Integration;

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
