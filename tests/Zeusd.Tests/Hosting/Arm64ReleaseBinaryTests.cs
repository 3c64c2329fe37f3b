namespace Zeusd.Tests.Hosting;

/// <summary>
/// The cross-compiled linux-arm64 NativeAOT binary, run under qemu's user-mode emulator on an x64 host (directly on an
/// arm64 one): the smoke test of <c>.ci/run</c>. (Opt-in: <c>ZEUSD_RELEASE_BIN_ARM64</c>.)
/// </summary>
public sealed class Arm64ReleaseBinaryTests(Arm64ReleaseBinaryFixture release) : IClassFixture<Arm64ReleaseBinaryFixture>
{
    [ReleaseBinaryFact(Arm64ReleaseBinaryFixture.Variable)]
    public void Binary_IsArm64Executable_LinksOnlyTheCLibrary()
    {
        var needed = ElfFile.NeededLibraries(release.BinaryPath);

        Assert.Equal(ElfFile.MachineArm64, ElfFile.Machine(release.BinaryPath));
        Assert.All(needed, library => Assert.Matches(@"^(libc|libm|ld-linux-[\w-]+)\.so\.\d+$", library));
    }

    [ReleaseBinaryFact(Arm64ReleaseBinaryFixture.Variable)]
    public Task Version_UnderEmulationWithoutDotnet_PrintsVersion() =>
        ReleaseBinaryScenarios.PrintsVersionAsync(release.BinaryPath, Arm64Emulator.Runner);

    [ReleaseBinaryFact(Arm64ReleaseBinaryFixture.Variable)]
    public Task Serve_UnderEmulationWithoutDotnet_ServesReadsAndWritesAndStopsOnSigterm() =>
        ReleaseBinaryScenarios.ServeReadWriteAndStopAsync(release.BinaryPath, Arm64Emulator.Runner);
}
