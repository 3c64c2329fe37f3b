using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Overrides;

/// <summary>
/// <c>zeusd serve --gpu-command-overrides</c> end to end: the published daemon on a temp socket, the fake NVML (or the
/// simulated node) behind it, and shell scripts as the admin-approved commands.
/// </summary>
public sealed class OverridesDaemonTests : IDisposable
{
    private readonly OverrideWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string RecorderTable(string operation, string args) =>
        $"[{operation}]\ncommands = [{OverrideWorkspace.Toml(_workspace.Recorder + " " + args)}]\n";

    private static IEnumerable<string> Serve(string overrides, params string[] args) => ["--gpu-command-overrides", overrides, .. args];

    [Fact]
    public async Task Nvml_OverriddenWrites_RunTheCommandsAndNeverReachTheDriver()
    {
        using var nvml = new FakeNvml(gpuCount: 2);
        string fail = _workspace.WriteScript("fail", "echo 'set failed' ; echo 'no such clock' >&2; exit 3");
        string file = _workspace.WriteOverrides(
            RecorderTable("set_power_limit", "pl {gpu_id} {power_limit_mw} {power_limit_w}") +
            RecorderTable("reset_locked_clocks", "rlc {gpu_id}") +
            $"[set_mem_locked_clocks]\ncommands = [{OverrideWorkspace.Toml(fail + " {gpu_id} {min_clock_mhz}")}]\n");
        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read"), nvml.Environment);
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0,1&power_limit_mw=250999&block=true");
        Assert.Equal((200, ""), (status, body));
        Assert.Equal(["record [pl] [0] [250999] [250]", "record [pl] [1] [250999] [250]"], _workspace.Calls().Order());

        Assert.Equal(200, (await client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=1&block=true")).Status);
        Assert.Contains("record [rlc] [1]", _workspace.Calls());

        var functions = nvml.Calls().Select(c => c.Function).ToArray();
        Assert.DoesNotContain(FakeNvml.SetPowerLimit, functions);
        Assert.DoesNotContain(FakeNvml.ResetGpuLockedClocks, functions);
        Assert.DoesNotContain(FakeNvml.ResetMemoryLockedClocks, functions);

        (status, body, _) = await client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=0&min_clock_mhz=5001&max_clock_mhz=7000&block=true");
        Assert.Equal(500, status);
        Assert.Equal($"{{\"errors\":{{\"0\":\"Override command failed: command '{fail} 0 5001' exited with code 3; stdout: set failed\\n; stderr: no such clock\\n\"}}}}", body);

        string output = await daemon.WaitForOutputAsync("GPU command overrides loaded");
        Assert.Contains($"GPU command overrides loaded from '{file}'; these operations run the configured commands instead of driver calls: " +
            "set_power_limit, set_mem_locked_clocks, reset_locked_clocks", output);
        Assert.DoesNotContain("may fail", output);
    }

    [Fact]
    public async Task Nvml_OperationWithoutOverride_StillCallsTheDriver()
    {
        using var nvml = new FakeNvml(gpuCount: 2);
        string file = _workspace.WriteOverrides(RecorderTable("set_power_limit", "pl {gpu_id}"));
        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read"), nvml.Environment);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=1&min_clock_mhz=900&max_clock_mhz=1400&block=true")).Status);
        Assert.Equal(200, (await client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=0&block=true")).Status);

        var calls = nvml.Calls();
        Assert.Contains(calls, c => c.Function == "nvmlDeviceSetGpuLockedClocks" && c.Gpu == 1);
        Assert.Contains(calls, c => c.Function == FakeNvml.ResetGpuLockedClocks && c.Gpu == 0);
        Assert.Contains(calls, c => c.Function == FakeNvml.ResetMemoryLockedClocks && c.Gpu == 0);
        Assert.Empty(_workspace.Calls());
    }

    [Fact]
    public async Task AmdSmi_OverriddenWrites_SkipTheLibraryAndReplaceItsRefusals()
    {
        using var amd = new FakeAmdSmi();
        string file = _workspace.WriteOverrides(
            RecorderTable("set_power_limit", "pl {gpu_id} {power_limit_w}") + RecorderTable("reset_gpu_locked_clocks", "rgc {gpu_id}"));
        await using var daemon = await AmdSmiDaemon.StartAsync(amd, "amdsmi", null, "--gpu-command-overrides", file);
        using var client = daemon.CreateClient();
        long mark = amd.Mark();

        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true")).Status);
        // AMD GPUs cannot reset one clock domain natively (400); the override runs instead.
        Assert.Equal(200, (await client.CallPostAsync("/gpu/reset_gpu_locked_clocks?gpu_ids=0&block=true")).Status);
        // Without an override the library is called.
        Assert.Equal(200, (await client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=0&block=true")).Status);

        Assert.Equal(["record [pl] [1] [200]", "record [rgc] [0]"], _workspace.Calls());
        Assert.Empty(amd.CallsAfter(mark, FakeAmdSmi.SetPowerCap));
        Assert.NotEmpty(amd.CallsAfter(mark, FakeAmdSmi.SetPerfLevel));
    }

    [Fact]
    public async Task NonBlocking_Override_AnswersAtOnceAndRunsInOrder()
    {
        // The command waits until the test opens the gate, so the answer can only have come before it ran.
        string gate = Path.Combine(_workspace.LogDirectory, "gate");
        string slow = _workspace.WriteScript("slow", $"while [ ! -e '{gate}' ]; do sleep 0.05; done; printf 'slow [%s]\\n' \"$1\" >> \"$LOG\"");
        string file = _workspace.WriteOverrides(
            $"[set_power_limit]\ncommands = [{OverrideWorkspace.Toml(slow + " {power_limit_w}")}]\n" + RecorderTable("reset_locked_clocks", "rlc"));
        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--simulate"));
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=false")).Status);
        Assert.Empty(_workspace.Calls());

        // A blocking request queued behind it on the same GPU completes only after it.
        var reset = client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=0&block=true");
        await Task.Delay(300);
        Assert.False(reset.IsCompleted, "the blocking request did not wait behind the queued one");
        File.WriteAllText(gate, "");
        Assert.Equal(200, (await reset).Status);
        Assert.Equal(["slow [200]", "record [rlc]"], _workspace.Calls());
    }

    [Fact]
    public async Task SlowOverrideOnOneGpu_DoesNotDelayAnother()
    {
        // GPU 0's command waits for a gate the test opens only after GPU 1 answered.
        string gate = Path.Combine(_workspace.LogDirectory, "gate");
        string script = _workspace.WriteScript("per-gpu",
            $"if [ \"$1\" = 0 ]; then while [ ! -e '{gate}' ]; do sleep 0.05; done; fi; printf 'done [%s]\\n' \"$1\" >> \"$LOG\"");
        string file = _workspace.WriteOverrides($"[set_power_limit]\ncommands = [{OverrideWorkspace.Toml(script + " {gpu_id}")}]\n");
        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--simulate"));
        using var client = daemon.CreateClient();

        var slow = client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true");
        await Task.Delay(300);
        var fast = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(200, fast.Status);
        Assert.False(slow.IsCompleted);
        Assert.Equal(["done [1]"], _workspace.Calls());
        File.WriteAllText(gate, "");
        Assert.Equal(200, (await slow).Status);
        Assert.Equal(["done [1]", "done [0]"], _workspace.Calls());
    }

    [Fact]
    public async Task Simulated_OverriddenPowerLimit_LeavesTheDeviceUntouched()
    {
        string file = _workspace.WriteOverrides(RecorderTable("set_power_limit", "{gpu_id} {power_limit_w}"));
        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--simulate"));
        using var client = daemon.CreateClient();
        string before = (await client.CallAsync("/gpu/get_power_limit?gpu_ids=2")).Body;

        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=2&power_limit_mw=123456&block=true")).Status);

        Assert.Equal(["record [2] [123]"], _workspace.Calls());
        Assert.Equal(before, (await client.CallAsync("/gpu/get_power_limit?gpu_ids=2")).Body);
    }

    [Fact]
    public async Task Unprivileged_GpuControlThroughOverrides_Serves()
    {
        using var nvml = new FakeNvml(gpuCount: 2);
        File.SetUnixFileMode(nvml.ControlDirectory, (UnixFileMode)Convert.ToInt32("777", 8));
        string whoami = _workspace.WriteScript("whoami", "printf 'uid [%s] [%s]\\n' \"$(id -u)\" \"$1\" >> \"$LOG\"");
        string file = _workspace.WriteOverrides($"[set_power_limit]\ncommands = [{OverrideWorkspace.Toml(whoami + " {power_limit_w}")}]\n");
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));
        // The fake library from a directory uid 65534 can reach even when the checkout is closed to other users.
        string lib = Path.Combine(_workspace.Directory, "lib");
        Directory.CreateDirectory(lib);
        File.Copy(Path.Combine(FakeNvml.LibraryDirectory, "libnvidia-ml.so.1"), Path.Combine(lib, "libnvidia-ml.so.1"));
        var environment = nvml.Environment;
        environment["LD_LIBRARY_PATH"] = lib;
        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--gpu-backend", "nvml", "--enable", "gpu-read,gpu-control"),
            environment, directory: dir, commandPrefix: Unprivileged.Prefix);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=300000&block=true")).Status);
        Assert.Equal(["uid [65534] [300]"], _workspace.Calls());

        // Operations without an override go to the driver, which refuses an unprivileged caller.
        nvml.SetFault(1, "nvmlDeviceSetGpuLockedClocks", "no_permission");
        var (status, body, _) = await client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=1&min_clock_mhz=900&max_clock_mhz=1400&block=true");
        Assert.Equal(403, status);
        Assert.Equal("{\"errors\":{\"1\":\"NVML error: the current user does not have permission to perform this operation\"}}", body);
        Assert.Contains(nvml.Calls(), c => c.Function == "nvmlDeviceSetGpuLockedClocks" && c.Gpu == 1);

        string output = daemon.Output;
        Assert.Contains("these operations run the configured commands instead of driver calls: set_power_limit", output);
        Assert.Contains("Zeusd is not running as root: GPU control operations without an override (set_persistence_mode, set_gpu_locked_clocks, " +
            "reset_gpu_locked_clocks, set_mem_locked_clocks, reset_mem_locked_clocks, reset_locked_clocks) call the driver directly and may fail", output);
    }

    [Fact]
    public async Task Unprivileged_FileOwnedByTheDaemonsUser_IsTrusted()
    {
        string file = _workspace.WriteOverrides(RecorderTable("reset_locked_clocks", "rlc {gpu_id}"));
        Posix.Chown(file, 65534, uint.MaxValue);
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));
        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--enable", "gpu-read,gpu-control"),
            directory: dir, commandPrefix: Unprivileged.Prefix);

        Assert.Contains("\"enabled_api_groups\":[\"gpu-read\",\"gpu-control\"]", (await daemon.CreateClient().CallAsync("/discover")).Body);
    }

    [Fact]
    public async Task Unprivileged_FileItCannotRead_ExitsOne()
    {
        string file = _workspace.WriteOverrides(RecorderTable("set_power_limit", "pl"), (UnixFileMode)Convert.ToInt32("600", 8));

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--gpu-command-overrides", file, "--enable", "gpu-control", "--socket-path", Path.Combine(_workspace.LogDirectory, "zeusd.sock")],
            commandPrefix: Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: Failed to read GPU command override file '{file}'\n\nCaused by:\n    Permission denied (os error 13)\n", stderr);
    }

    [Theory]
    [InlineData("gpu-control,gpu-read,cpu-read", "cpu-read")]
    [InlineData("gpu-control,cpu-read", "cpu-read")]
    public async Task Unprivileged_CpuReadWithOverrides_StillNeedsRoot(string enable, string group)
    {
        string file = _workspace.WriteOverrides(RecorderTable("set_power_limit", "pl"));

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--gpu-command-overrides", file, "--enable", enable, "--socket-path", Path.Combine(_workspace.LogDirectory, "zeusd.sock")],
            commandPrefix: Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: API group '{group}' requires root but Zeusd is not running as root\n", stderr);
    }

    [Fact]
    public async Task Unprivileged_EmptyOverridesFile_GpuControlStillNeedsRoot()
    {
        string file = _workspace.WriteOverrides("# no overrides yet\n");

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--gpu-command-overrides", file, "--enable", "gpu-control", "--socket-path", Path.Combine(_workspace.LogDirectory, "zeusd.sock")],
            commandPrefix: Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.Equal("Error: API group 'gpu-control' requires root but Zeusd is not running as root\n", stderr);
    }

    [Fact]
    public async Task Startup_WorldWritableFile_ExitsOne()
    {
        string file = _workspace.WriteOverrides(RecorderTable("set_power_limit", "pl"), (UnixFileMode)Convert.ToInt32("666", 8));

        var (exit, _, stderr) = await RunAsync(file, "--simulate");

        Assert.Equal(1, exit);
        Assert.Equal($"Error: GPU command override file '{file}' is world-writable (mode 666); tighten its permissions (e.g. chmod 644) " +
            "because zeusd executes the commands it defines\n", stderr);
    }

    [Fact]
    public async Task Startup_FileOwnedByAnotherUser_ExitsOne()
    {
        string file = _workspace.WriteOverrides(RecorderTable("set_power_limit", "pl"));
        Posix.Chown(file, 65534, uint.MaxValue);

        var (exit, _, stderr) = await RunAsync(file, "--simulate");

        Assert.Equal(1, exit);
        Assert.Equal($"Error: GPU command override file '{file}' is owned by uid 65534; it must be owned by root or the user running zeusd " +
            "(uid 0) because zeusd executes the commands it defines\n", stderr);
    }

    [Fact]
    public async Task Startup_InvalidFileWithoutGpuControl_StillExitsOne()
    {
        string file = _workspace.WriteOverrides("[set_power_limit]\ncommands = []\n");

        var (exit, _, stderr) = await RunAsync(file, "--simulate", "--enable", "gpu-read");

        Assert.Equal(1, exit);
        Assert.Equal($"Error: Failed to parse GPU command override file '{file}'\n\nCaused by:\n    Operation 'set_power_limit' has an empty commands array\n", stderr);
    }

    [Fact]
    public async Task Startup_MissingFile_ExitsOne()
    {
        string file = Path.Combine(_workspace.Directory, "missing.toml");

        var (exit, _, stderr) = await RunAsync(file, "--simulate");

        Assert.Equal(1, exit);
        Assert.Equal($"Error: Failed to read GPU command override file '{file}'\n\nCaused by:\n    No such file or directory (os error 2)\n", stderr);
    }

    [Fact]
    public async Task Startup_ValidFileWithoutGpuControl_IsIgnoredWithAWarning()
    {
        string file = _workspace.WriteOverrides(RecorderTable("set_power_limit", "pl"));

        await using var daemon = await DaemonProcess.StartAsync(Serve(file, "--simulate", "--enable", "gpu-read"));

        string output = await daemon.WaitForOutputAsync("GPU command overrides are ignored because the gpu-control API group is not enabled");
        Assert.DoesNotContain("GPU command overrides loaded", output);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] args) =>
        DaemonProcess.RunToEndAsync(["serve", "--gpu-command-overrides", file, "--socket-path", Path.Combine(_workspace.LogDirectory, "zeusd.sock"), .. args]);
}
