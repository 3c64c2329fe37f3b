using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Gpu;

/// <summary>
/// <c>--gpu-backend amdsmi</c> and <c>auto</c> with AMD in the picture (spec §3.11), and where the daemon finds
/// libamd_smi (spec §1.1): real daemons, the fake NVML and the fake libamd_smi.
/// </summary>
public sealed class GpuBackendRegistryAmdSmiTests
{
    private static string NoLibrary(string dir) =>
        $"{dir}/libamd_smi.so.26: {dir}/libamd_smi.so.26: cannot open shared object file: No such file or directory; " +
        $"{dir}/libamd_smi.so.25: {dir}/libamd_smi.so.25: cannot open shared object file: No such file or directory; " +
        $"{dir}/libamd_smi.so.24: {dir}/libamd_smi.so.24: cannot open shared object file: No such file or directory";

    /// <summary>Both fakes: NVML on the loader path, libamd_smi through AMDSMI_LIB_DIR.</summary>
    private static Dictionary<string, string> Both(FakeAmdSmi amd, FakeNvml nvml)
    {
        var environment = amd.Environment;
        foreach (var (key, value) in nvml.Environment)
        {
            environment[key] = value;
        }
        return environment;
    }

    [Fact]
    public async Task Auto_NvidiaAndAmdGpus_RefusesToStart()
    {
        using var amd = new FakeAmdSmi();
        using var nvml = new FakeNvml(gpuCount: 2);
        var environment = Both(amd, nvml);

        var (code, output) = await AmdSmiDaemon.RunUntilExitAsync(environment, "auto");

        Assert.Equal(1, code);
        Assert.Contains("Error: both NVIDIA and AMD GPUs detected; pick one with --gpu-backend", output);
    }

    [Fact]
    public async Task Auto_NvidiaGpusAndAmdWithNone_Nvml()
    {
        using var amd = new FakeAmdSmi(config: new Dictionary<string, string> { ["gpus"] = "0" });
        using var nvml = new FakeNvml(gpuCount: 2);
        var environment = Both(amd, nvml);
        await using var daemon = await AmdSmiDaemon.StartAsync(amd, "auto", environment);

        var gpus = Json.Parse((await daemon.CreateClient().CallAsync("/discover")).Body).GetProperty("gpus");

        Assert.Equal("NVIDIA A40", gpus[0].GetProperty("name").GetString());
        // The AMD probe ran anyway, as in the original daemon.
        Assert.Equal(1, amd.Stat("init_calls"));
    }

    [Fact]
    public async Task Auto_AmdOnly_AmdSmiSelected()
    {
        using var amd = new FakeAmdSmi();
        await using var daemon = await AmdSmiDaemon.StartAsync(amd, "auto");

        var gpus = Json.Parse((await daemon.CreateClient().CallAsync("/discover")).Body).GetProperty("gpus");

        Assert.Equal(2, gpus.GetArrayLength());
        Assert.Contains("NVML backend probe failed", daemon.Output);
        Assert.Contains("AMDSMI backend was selected with 2 GPU(s)", daemon.Output);
    }

    [Fact]
    public async Task Auto_Neither_ZeroGpusWithBothProbeWarnings()
    {
        using var amd = new FakeAmdSmi();
        var environment = amd.Environment;
        environment["AMDSMI_LIB_DIR"] = Path.Combine(amd.Directory, "empty");
        await using var daemon = await AmdSmiDaemon.StartAsync(amd, "auto", environment);

        var gpus = Json.Parse((await daemon.CreateClient().CallAsync("/discover")).Body).GetProperty("gpus");

        Assert.Equal(0, gpus.GetArrayLength());
        Assert.Contains("NVML backend probe failed", daemon.Output);
        Assert.Contains("AMDSMI backend probe failed: Failed to load AMD SMI: no supported AMD SMI library found", daemon.Output);
        Assert.Contains("No GPU backend reported any GPUs; serving zero GPUs", daemon.Output);
    }

    [Fact]
    public async Task AmdSmi_NoLibrary_Exit1ListingEveryCandidate()
    {
        using var amd = new FakeAmdSmi();
        var environment = amd.Environment;
        string empty = Path.Combine(amd.Directory, "empty");
        environment["AMDSMI_LIB_DIR"] = empty;

        var (code, output) = await AmdSmiDaemon.RunUntilExitAsync(environment);

        Assert.Equal(1, code);
        Assert.Contains(
            "Error: Failed to load AMD SMI: no supported AMD SMI library found (AMDSMI_LIB_DIR and ROCM_PATH restrict the search " +
            "when set; otherwise /opt/rocm*/lib and the dynamic loader paths are searched): " + NoLibrary(empty), output);
    }

    [Fact]
    public async Task AmdSmi_Rocm62LibraryOnly_Exit1WithTheRocm62Hint()
    {
        using var amd = new FakeAmdSmi(24, rocm62: true);

        var (code, output) = await AmdSmiDaemon.RunUntilExitAsync(amd.Environment);

        Assert.Equal(1, code);
        Assert.Contains($"failed to load amdsmi_set_gpu_clk_limit from {amd.LibraryDirectory}/libamd_smi.so.24: ", output);
        Assert.Contains("; a libamd_smi.so.24 without this symbol is ROCm 6.2, which zeusd does not support (ROCm 6.3 is the minimum)", output);
    }

    [Fact]
    public async Task AmdSmi_LibDirAndRocmPath_LibDirWins()
    {
        using var amd = new FakeAmdSmi(25);
        string rocm = Path.Combine(amd.Directory, "rocm");
        Directory.CreateDirectory(Path.Combine(rocm, "lib"));
        FakeAmdSmi.Install(Path.Combine(rocm, "lib"), 26);
        var environment = amd.Environment;
        environment["ROCM_PATH"] = rocm;
        await using var daemon = await AmdSmiDaemon.StartAsync(amd, environment: environment);

        Assert.Contains($"Loaded AMD SMI from {amd.LibraryDirectory}/libamd_smi.so.25 using ABI 25", daemon.Output);
    }

    [Fact]
    public async Task AmdSmi_RocmPathOnly_ItsLibDirectory()
    {
        using var amd = new FakeAmdSmi(24);
        var environment = amd.Environment;
        environment.Remove("AMDSMI_LIB_DIR");
        environment["ROCM_PATH"] = amd.Directory; // the fake sits in <dir>/lib
        await using var daemon = await AmdSmiDaemon.StartAsync(amd, environment: environment);

        Assert.Contains($"Loaded AMD SMI from {amd.Directory}/lib/libamd_smi.so.24 using ABI 24", daemon.Output);
    }

    [Fact]
    public async Task AmdSmi_BadElfAndMissingSymbolFirst_SkippedToTheNextCandidate()
    {
        using var amd = new FakeAmdSmi(24);
        File.WriteAllText(Path.Combine(amd.LibraryDirectory, "libamd_smi.so.26"), "not an ELF file\n");
        File.Copy(Path.Combine(FakeAmdSmi.BuildDirectory, "libamd_smi_fake_rocm62.so"), Path.Combine(amd.LibraryDirectory, "libamd_smi.so.25"));
        await using var daemon = await AmdSmiDaemon.StartAsync(amd);

        Assert.Contains($"Loaded AMD SMI from {amd.LibraryDirectory}/libamd_smi.so.24 using ABI 24", daemon.Output);
    }

    [Fact]
    public async Task AmdSmi_EmptyLibDir_DynamicLoaderSearch()
    {
        using var amd = new FakeAmdSmi(26);
        var environment = amd.Environment;
        environment["AMDSMI_LIB_DIR"] = "";
        environment["LD_LIBRARY_PATH"] = amd.LibraryDirectory;
        await using var daemon = await AmdSmiDaemon.StartAsync(amd, environment: environment);

        Assert.Contains("Loaded AMD SMI from libamd_smi.so.26 using ABI 26", daemon.Output);
    }

    [Fact]
    public async Task AmdSmi_EmptyRocmPath_RelativeToTheWorkingDirectory()
    {
        using var amd = new FakeAmdSmi(25);
        var environment = amd.Environment;
        environment.Remove("AMDSMI_LIB_DIR");
        environment["ROCM_PATH"] = "";
        await using var daemon = await DaemonProcess.StartAsync(["--gpu-backend", "amdsmi", .. AmdSmiDaemon.GpuGroups], environment,
            workingDirectory: amd.Directory);

        Assert.Contains("Loaded AMD SMI from lib/libamd_smi.so.25 using ABI 25", daemon.Output);
    }
}
