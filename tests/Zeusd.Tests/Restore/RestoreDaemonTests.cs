using System.Diagnostics;
using System.Text.Json;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Restore;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Restore;

/// <summary>
/// <c>--restore</c> end to end: the real daemon on the fake NVML, real client processes, real crashes (SIGKILL) and
/// restarts on the same state directory; what the boards end up with is read from the fake's state file.
/// </summary>
public sealed class RestoreDaemonTests : IDisposable
{
    private const string Pci0 = "0000:17:00.0";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);
    private readonly string _stateDir = Path.Combine(DaemonProcess.NewTempDirectory(), "state");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(_stateDir)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string SetLimit(int gpu, int milliwatts) => $"/gpu/set_power_limit?gpu_ids={gpu}&power_limit_mw={milliwatts}&block=true";

    [Fact]
    public async Task ClientMode_ClientSetsLimitAndExits_OriginalBackWithinOneSecond()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "client", _stateDir);

        var (status, _) = await RestoreDaemon.CurlAsync(daemon.SocketPath!, SetLimit(0, 200_000));
        var exited = Stopwatch.StartNew();

        Assert.Equal(200, status);
        await nvml.WaitForStateAsync(0, s => s.PowerLimitMw == RestoreDaemon.Original, Within);
        Assert.True(exited.Elapsed < Within, $"restored after {exited.Elapsed}");
        var sets = nvml.Calls().Where(c => c.Function == FakeNvml.SetPowerLimit).Select(c => c["limit"]).ToArray();
        Assert.Equal(["200000", "300000"], sets);
        using var client = daemon.CreateClient();
        await RestoreDaemon.WaitUntilNothingChangedAsync(client, Within);
        Assert.Empty(RestoreDaemon.Records(_stateDir));
        await daemon.WaitForOutputAsync("Restored GPU 0 (0000:17:00.0) power_limit_mw from 200000 mW to 300000 mW: pid ");
    }

    [Fact]
    public async Task ClientMode_NonBlockingWritesThenExit_AreStillRestored()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "client", _stateDir);

        // block=false: the client is gone before (or while) its writes run.
        var (status, _) = await RestoreDaemon.CurlAsync(daemon.SocketPath!,
            "/gpu/set_mem_locked_clocks?gpu_ids=0,1&min_clock_mhz=405&max_clock_mhz=5000&block=false");

        Assert.Equal(200, status);
        await nvml.WaitForCallAsync(c => c.Function == FakeNvml.ResetMemoryLockedClocks && c.Gpu == 0, Within);
        await nvml.WaitForCallAsync(c => c.Function == FakeNvml.ResetMemoryLockedClocks && c.Gpu == 1, Within);
        using var client = daemon.CreateClient();
        await RestoreDaemon.WaitUntilNothingChangedAsync(client, Within);
        var resets = nvml.Calls().Where(c => c.Function == FakeNvml.ResetMemoryLockedClocks).Select(c => c.Gpu).Order();
        Assert.Equal([0, 1], resets);
        Assert.False(nvml.State()![0].MemClocksLocked);
        Assert.False(nvml.State()![1].MemClocksLocked);
    }

    [Fact]
    public async Task ClientMode_ChangeThroughTheLegacyJsonApi_IsRecordedAndRestoredWhenTheClientExits()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "client", _stateDir);
        using var client = daemon.CreateClient();
        Assert.Equal(200, (await client.PostBodyAsync("/gpu/1/set_power_limit", "{\"power_limit_mw\":175000,\"block\":true}")).Status);
        Assert.StartsWith("{\"1\":{\"power_limit_mw\":{\"original\":300000,", (await client.CallAsync("/gpu/get_changed_settings")).Body);

        // A client process takes the setting over through the legacy route, then exits.
        var info = new ProcessStartInfo("curl") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-s", "-X", "POST", "--unix-socket", daemon.SocketPath!, "-H", "Content-Type: application/json",
            "-d", "{\"power_limit_mw\":160000,\"block\":true}", "http://localhost/gpu/1/set_power_limit" })
        {
            info.ArgumentList.Add(arg);
        }
        using (var curl = Process.Start(info)!)
        {
            await curl.WaitForExitAsync();
        }

        await nvml.WaitForStateAsync(1, s => s.PowerLimitMw == RestoreDaemon.Original, Within);
        await RestoreDaemon.WaitUntilNothingChangedAsync(client, Within);
        Assert.Equal(["175000", "160000", "300000"],
            nvml.Calls().Where(c => c.Function == FakeNvml.SetPowerLimit && c.Gpu == 1).Select(c => c["limit"]));
    }

    [Fact]
    public async Task NeverMode_ClientSetsLimitAndExits_LimitStaysAndNoJournalIsKept()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "never", _stateDir);

        var (status, _) = await RestoreDaemon.CurlAsync(daemon.SocketPath!, SetLimit(0, 200_000));
        await Task.Delay(1500);
        Assert.Equal(0, await daemon.StopAsync());

        Assert.Equal(200, status);
        Assert.Equal(200_000u, nvml.State()![0].PowerLimitMw);
        Assert.False(Directory.Exists(_stateDir));
        Assert.Single(nvml.Calls(), c => c.Function == FakeNvml.SetPowerLimit);
    }

    [Fact]
    public async Task ClientMode_SecondClientChangesTheSameSetting_OwnershipMovesAndTheFirstOriginalWins()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "client", _stateDir);
        using var client = daemon.CreateClient();

        // The test process is the first client, and stays alive.
        Assert.Equal(200, (await client.CallPostAsync(SetLimit(0, 250_000))).Status);
        var before = JsonDocument.Parse((await client.CallAsync("/gpu/get_changed_settings")).Body).RootElement.GetProperty("0").GetProperty("power_limit_mw");
        Assert.Equal(Environment.ProcessId, before.GetProperty("owner").GetProperty("pid").GetInt32());
        Assert.Equal(RestoreDaemon.Original, before.GetProperty("original").GetInt32());

        // A second client takes over the setting and exits: its exit restores the first original, not 250000.
        Assert.Equal(200, (await RestoreDaemon.CurlAsync(daemon.SocketPath!, SetLimit(0, 200_000))).Status);

        await nvml.WaitForStateAsync(0, s => s.PowerLimitMw == RestoreDaemon.Original, Within);
        await RestoreDaemon.WaitUntilNothingChangedAsync(client, Within);
    }

    [Fact]
    public async Task ClientMode_FirstClientExitsAfterASecondTookOver_SettingStays()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "client", _stateDir);
        using var client = daemon.CreateClient();
        // A first client process that stays alive until the test process (the second client) has taken over.
        using var first = RestoreDaemon.StartLingeringCurl(daemon.SocketPath!, SetLimit(0, 250_000));
        await nvml.WaitForStateAsync(0, s => s.PowerLimitMw == 250_000, TimeSpan.FromSeconds(10));

        Assert.Equal(200, (await client.CallPostAsync(SetLimit(0, 200_000))).Status);
        first.Kill();
        await first.WaitForExitAsync();
        await Task.Delay(1000);

        Assert.Equal(200_000u, nvml.State()![0].PowerLimitMw);
        var record = JsonDocument.Parse((await client.CallAsync("/gpu/get_changed_settings")).Body).RootElement.GetProperty("0").GetProperty("power_limit_mw");
        Assert.Equal(RestoreDaemon.Original, record.GetProperty("original").GetInt32());
        Assert.Equal(Environment.ProcessId, record.GetProperty("owner").GetProperty("pid").GetInt32());
    }

    /// <summary>Changes three settings over the test's own connection, then kills the daemon: what a crash leaves.</summary>
    private async Task<string> CrashAfterChangesAsync(FakeNvml nvml)
    {
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);
        using var client = daemon.CreateClient();
        Assert.Equal(200, (await client.CallPostAsync(SetLimit(0, 200_000))).Status);
        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=1&min_clock_mhz=900&max_clock_mhz=1200&block=true")).Status);
        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_persistence_mode?gpu_ids=1&enabled=true&block=true")).Status);
        await RestoreDaemon.CrashAsync(daemon);
        var left = nvml.State()!;
        Assert.Equal(200_000u, left[0].PowerLimitMw);
        Assert.True(left[1].GpuClocksLocked);
        Assert.True(left[1].Persistence);
        Assert.Equal(3, RestoreDaemon.Records(_stateDir).Length);
        return daemon.Output;
    }

    [Fact]
    public async Task ShutdownMode_DaemonKilledAfterChanges_NextStartRestoresBeforeTheSocketExists()
    {
        using var nvml = new FakeNvml(keepState: true);
        await CrashAfterChangesAsync(nvml);
        string directory = DaemonProcess.NewTempDirectory();
        string socket = Path.Combine(directory, "zeusd.sock");

        await using var restarted = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir, directory: directory, socketPath: socket, waitUntilReady: false);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(socket))
        {
            Assert.True(DateTime.UtcNow < deadline, "the socket never appeared:\n" + restarted.Output);
            await Task.Delay(1);
        }
        var state = nvml.State()!;

        // The instant the socket exists, every board already has its original back.
        Assert.Equal((uint)RestoreDaemon.Original, state[0].PowerLimitMw);
        Assert.False(state[1].GpuClocksLocked);
        Assert.False(state[1].Persistence);
        Assert.Empty(RestoreDaemon.Records(_stateDir));
        await restarted.WaitUntilReadyAsync();
        Assert.Contains("Restoring 3 setting(s) left changed by a previous zeusd before accepting connections", restarted.Output);
        Assert.Contains("Restored GPU 1 (0000:27:00.0) gpu_locked_clocks from locked 900-1200 MHz to unlocked: left changed by a previous zeusd", restarted.Output);
    }

    [Fact]
    public async Task Start_JournalWithATruncatedTemporaryFile_RemovesItAndRestoresTheRecords()
    {
        using var nvml = new FakeNvml(keepState: true);
        await CrashAfterChangesAsync(nvml);
        // A crash in the middle of a journal write: an updated GPU 0 record, and a first record for GPU 1's power limit.
        string record = Path.Combine(_stateDir, RestoreJournal.FileName(Pci0, RestorableSetting.PowerLimit));
        File.WriteAllText(record + ".tmp", "{\"version\":1,\"gpu_in");
        string newRecord = Path.Combine(_stateDir, RestoreJournal.FileName("0000:27:00.0", RestorableSetting.PowerLimit)) + ".tmp";
        File.WriteAllText(newRecord, "");
        long mark = nvml.Mark();

        await using var restarted = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);

        Assert.Equal((uint)RestoreDaemon.Original, nvml.State()![0].PowerLimitMw);
        Assert.Empty(Directory.GetFiles(_stateDir));
        Assert.DoesNotContain(nvml.CallsAfter(mark), c => c.Function == FakeNvml.SetPowerLimit && c.Gpu == 1);
        Assert.Contains("an incomplete journal write interrupted by a crash", restarted.Output);
    }

    [Fact]
    public async Task Start_RecordForAGpuThatIsGone_IsKeptAndWarnedAboutAndNeverAppliedToAnotherGpu()
    {
        using var nvml = new FakeNvml(keepState: true);
        await CrashAfterChangesAsync(nvml);
        long mark = nvml.Mark();
        // Same node, but the board at 0000:27:00.0 was swapped for one at 0000:65:00.0 (GPU 1 now).
        var environment = nvml.Environment;
        environment["FAKENVML_PCI"] = "0000:17:00,0000:65:00";

        await using var restarted = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir, environment: environment);

        var state = nvml.State()!;
        Assert.Equal((uint)RestoreDaemon.Original, state[0].PowerLimitMw);
        Assert.True(state[1].GpuClocksLocked);
        Assert.True(state[1].Persistence);
        Assert.DoesNotContain(nvml.CallsAfter(mark), c => c.Gpu == 1 && c.Function.StartsWith("nvmlDeviceSet", StringComparison.Ordinal));
        Assert.Equal(
            [RestoreJournal.FileName("0000:27:00.0", RestorableSetting.GpuLockedClocks), RestoreJournal.FileName("0000:27:00.0", RestorableSetting.PersistenceMode)],
            RestoreDaemon.Records(_stateDir));
        Assert.Contains("Not restoring gpu_locked_clocks of the GPU at PCI 0000:27:00.0 (GPU 1 when recorded): no such GPU on this node now", restarted.Output);
        using var client = restarted.CreateClient();
        Assert.Equal("{}", (await client.CallAsync("/gpu/get_changed_settings")).Body);
    }

    [Fact]
    public async Task Shutdown_GpuHungWhileRestoring_ExitsWithinTheDrainBudgetAndKeepsTheRecordForTheNextStart()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using (var daemon = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir))
        {
            using var client = daemon.CreateClient();
            Assert.Equal(200, (await client.CallPostAsync(SetLimit(0, 200_000))).Status);
            Assert.Equal(200, (await client.CallPostAsync(SetLimit(1, 210_000))).Status);
            nvml.SetFault(0, FakeNvml.SetPowerLimit, "block");

            var stopping = Stopwatch.StartNew();
            int exit = await daemon.StopAsync();

            Assert.Equal(0, exit);
            Assert.True(stopping.Elapsed < DeviceQueue<IGpu>.DrainTimeout + TimeSpan.FromSeconds(2), $"exit took {stopping.Elapsed}");
            Assert.Equal(200_000u, nvml.State()![0].PowerLimitMw);
            Assert.Equal((uint)RestoreDaemon.Original, nvml.State()![1].PowerLimitMw);
            Assert.Equal([RestoreJournal.FileName(Pci0, RestorableSetting.PowerLimit)], RestoreDaemon.Records(_stateDir));
        }

        nvml.ClearFault(0, FakeNvml.SetPowerLimit);
        await using var restarted = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);
        Assert.Equal((uint)RestoreDaemon.Original, nvml.State()![0].PowerLimitMw);
        Assert.Empty(RestoreDaemon.Records(_stateDir));
    }

    [Fact]
    public async Task ClientMode_ChangeOverTcp_IsRestoredOnlyAtShutdown()
    {
        using var nvml = new FakeNvml(keepState: true);
        var (started, client, address) = await RestoreDaemon.StartTcpAsync(nvml, "client", _stateDir);
        await using var daemon = started;
        using var disposeClient = client;

        Assert.Equal(200, (await RestoreDaemon.CurlAsync(address, SetLimit(0, 200_000))).Status);
        await Task.Delay(1500);
        Assert.Equal(200_000u, nvml.State()![0].PowerLimitMw);
        string changed = (await client.CallAsync("/gpu/get_changed_settings")).Body;
        Assert.Matches("""^\{"0":\{"power_limit_mw":\{"original":300000,"since_ms":\d+,"owner":\{\}\}\}\}$""", changed);

        Assert.Equal(0, await daemon.StopAsync());
        Assert.Equal((uint)RestoreDaemon.Original, nvml.State()![0].PowerLimitMw);
        Assert.Contains("Restored GPU 0 (0000:17:00.0) power_limit_mw from 200000 mW to 300000 mW: zeusd is shutting down", daemon.Output);
    }

    [Fact]
    public async Task Journal_DirectoryAndRecords_AreOwnerOnlyAndDurableBeforeTheChange()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);
        using var client = daemon.CreateClient();
        // The record must be on disk before NVML is asked: block the set, then look.
        nvml.SetFault(0, FakeNvml.SetPowerLimit, "block");
        var write = client.CallPostAsync(SetLimit(0, 200_000));
        await nvml.WaitForCallAsync(c => c.Function == FakeNvml.SetPowerLimit);

        string record = Path.Combine(_stateDir, RestoreJournal.FileName(Pci0, RestorableSetting.PowerLimit));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_stateDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(record));
        var json = JsonDocument.Parse(File.ReadAllText(record)).RootElement;
        Assert.Equal(RestoreDaemon.Original, json.GetProperty("original").GetInt32());
        Assert.Equal(Pci0, json.GetProperty("pci_address").GetString());
        Assert.Equal(0, json.GetProperty("gpu_index").GetInt32());
        Assert.Equal(Environment.ProcessId, json.GetProperty("owner").GetProperty("pid").GetInt32());
        nvml.ClearFault(0, FakeNvml.SetPowerLimit);
        Assert.Equal(200, (await write).Status);
    }

    [Fact]
    public async Task Write_JournalCannotBeWritten_Fails500AndLeavesTheGpuUntouched()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);
        using var client = daemon.CreateClient();
        // A directory where the record's temporary file must go: the write of the record fails.
        string blocker = Path.Combine(_stateDir, RestoreJournal.FileName(Pci0, RestorableSetting.PowerLimit)) + ".tmp";
        Directory.CreateDirectory(Path.Combine(blocker, "x"));

        var (status, body, _) = await client.CallPostAsync(SetLimit(0, 200_000));

        Assert.Equal(500, status);
        Assert.StartsWith("""{"errors":{"0":"Cannot record the original power_limit_mw of GPU 0 in the restore journal (the GPU was not changed): """, body);
        Assert.DoesNotContain(nvml.Calls(), c => c.Function == FakeNvml.SetPowerLimit);
        Assert.Equal("{}", (await client.CallAsync("/gpu/get_changed_settings")).Body);
        Assert.Equal(200, (await client.CallPostAsync(SetLimit(1, 200_000))).Status);
    }

    [Fact]
    public async Task GetChangedSettings_AfterChanges_ShowsOriginalsSinceAndOwnerUntilRestored()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "client", _stateDir);
        using var client = daemon.CreateClient();
        Assert.Equal("{}", (await client.CallAsync("/gpu/get_changed_settings")).Body);
        ulong before = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await client.CallPostAsync(SetLimit(0, 200_000));
        await client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=1&min_clock_mhz=900&max_clock_mhz=1200&block=true");
        await client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=1&min_clock_mhz=900&max_clock_mhz=1200&block=true");
        await client.CallPostAsync("/gpu/set_persistence_mode?gpu_ids=1&enabled=true&block=true");
        await client.CallPostAsync(SetLimit(0, 210_000));
        var (status, body, _) = await client.CallAsync("/gpu/get_changed_settings");

        Assert.Equal(200, status);
        var root = JsonDocument.Parse(body).RootElement;
        ulong since = root.GetProperty("0").GetProperty("power_limit_mw").GetProperty("since_ms").GetUInt64();
        Assert.InRange(since, before, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        string owner = $"{{\"pid\":{Environment.ProcessId},\"uid\":{Zeusd.Interop.Libc.Privileges.EffectiveUserId},\"user\":\"{Environment.UserName}\"}}";
        string Entry(string original, string setting) =>
            $"\"{setting}\":{{\"original\":{original},\"since_ms\":{root.GetProperty(setting == "power_limit_mw" ? "0" : "1").GetProperty(setting).GetProperty("since_ms")},\"owner\":{owner}}}";
        Assert.Equal(
            "{\"0\":{" + Entry("300000", "power_limit_mw") + "},\"1\":{" + Entry("\"unlocked\"", "gpu_locked_clocks") + "," +
            Entry("\"unlocked\"", "mem_locked_clocks") + "," + Entry("false", "persistence_mode") + "}}",
            body);
        Assert.Equal(body, (await client.CallAsync("/gpu/get_changed_settings?gpu_ids=0,1")).Body);
        Assert.Equal("{\"1\":{" + Entry("\"unlocked\"", "gpu_locked_clocks") + "," + Entry("\"unlocked\"", "mem_locked_clocks") + "," +
            Entry("false", "persistence_mode") + "}}", (await client.CallAsync("/gpu/get_changed_settings?gpu_ids=1")).Body);

        // A reset by the owner undoes the change: nothing is left to restore for it.
        Assert.Equal(200, (await client.CallPostAsync("/gpu/reset_gpu_locked_clocks?gpu_ids=1&block=true")).Status);
        Assert.DoesNotContain("gpu_locked_clocks", (await client.CallAsync("/gpu/get_changed_settings")).Body);

        Assert.Equal(200, (await client.CallPostAsync("/gpu/restore_settings?gpu_ids=0,1&block=true")).Status);
        Assert.Equal("{}", (await client.CallAsync("/gpu/get_changed_settings")).Body);
        var state = nvml.State()!;
        Assert.Equal((uint)RestoreDaemon.Original, state[0].PowerLimitMw);
        Assert.False(state[1].MemClocksLocked);
        Assert.False(state[1].Persistence);
        Assert.Empty(RestoreDaemon.Records(_stateDir));
        await daemon.WaitForOutputAsync("Restored GPU 0 (0000:17:00.0) power_limit_mw from 210000 mW to 300000 mW: restore_settings by unauthenticated caller");
    }

    [Theory]
    [InlineData("gpu_ids=7&block=true")]
    [InlineData("gpu_ids=0,x&block=true")]
    [InlineData("gpu_ids=0")]
    [InlineData("gpu_ids=0&block=yes")]
    [InlineData("block=true")]
    [InlineData("gpu_ids=0&block=true&extra=1")]
    public async Task RestoreSettings_BadQuery_AnswersAsEveryWriteDoes(string query)
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);
        using var client = daemon.CreateClient();

        var restore = await client.CallPostAsync("/gpu/restore_settings?" + query);
        var reset = await client.CallPostAsync("/gpu/reset_locked_clocks?" + query);

        Assert.Equal(400, restore.Status);
        Assert.Equal((reset.Status, reset.Body, reset.Response.Content.Headers.ContentType?.MediaType),
            (restore.Status, restore.Body, restore.Response.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task GetChangedSettings_TokenCaller_OwnerIsTheTokenSubject()
    {
        using var nvml = new FakeNvml(keepState: true);
        string directory = DaemonProcess.NewTempDirectory();
        byte[] key = Zeusd.Tests.Auth.KeyFiles.NewKey();
        string keyPath = Zeusd.Tests.Auth.KeyFiles.Write(directory, key);
        var (started, client, _) = await RestoreDaemon.StartTcpAsync(nvml, "shutdown", _stateDir, ["--signing-key-path", keyPath], directory);
        await using var daemon = started;
        using var disposeClient = client;
        string token = Zeusd.Auth.TokenIssuer.Create(Zeusd.Auth.SigningKey.FromBytes(key), "alice",
            [Zeusd.Configuration.ApiGroup.GpuControl, Zeusd.Configuration.ApiGroup.GpuRead], null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        Assert.Equal(200, (await client.CallPostAsync(SetLimit(1, 200_000))).Status);
        string body = (await client.CallAsync("/gpu/get_changed_settings")).Body;

        Assert.Matches("""^\{"1":\{"power_limit_mw":\{"original":300000,"since_ms":\d+,"owner":\{"sub":"alice"\}\}\}\}$""", body);
        Assert.Equal(0, await daemon.StopAsync());
        Assert.Contains("Restored GPU 1 (0000:27:00.0) power_limit_mw from 200000 mW to 300000 mW: zeusd is shutting down", daemon.Output);
    }

    [Fact]
    public async Task GetChangedSettings_UnknownGpu_AnswersAsEveryReadDoes()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);
        using var client = daemon.CreateClient();

        var changed = await client.CallAsync("/gpu/get_changed_settings?gpu_ids=0,9");
        var read = await client.CallAsync("/gpu/get_power_limit?gpu_ids=0,9");

        Assert.Equal(400, changed.Status);
        Assert.Equal((read.Status, read.Body), (changed.Status, changed.Body));
    }

    [Fact]
    public async Task RestoreSettings_GpuFails_AnswersItsErrorAndKeepsTheRecord()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "shutdown", _stateDir);
        using var client = daemon.CreateClient();
        await client.CallPostAsync(SetLimit(0, 200_000));
        await client.CallPostAsync(SetLimit(1, 200_000));
        nvml.SetFault(0, FakeNvml.SetPowerLimit, "gpu_lost");
        var direct = await client.CallPostAsync(SetLimit(0, 300_000));

        var (status, body, _) = await client.CallPostAsync("/gpu/restore_settings?gpu_ids=0,1&block=true");

        Assert.Equal(direct.Status, status);
        Assert.Equal(direct.Body, body);
        Assert.Equal(200_000u, nvml.State()![0].PowerLimitMw);
        Assert.Equal((uint)RestoreDaemon.Original, nvml.State()![1].PowerLimitMw);
        Assert.Equal([RestoreJournal.FileName(Pci0, RestorableSetting.PowerLimit)], RestoreDaemon.Records(_stateDir));
        Assert.StartsWith("{\"0\":{\"power_limit_mw\":{\"original\":300000,", (await client.CallAsync("/gpu/get_changed_settings")).Body);
        await daemon.WaitForOutputAsync("Could not restore GPU 0 (0000:17:00.0) power_limit_mw from 200000 mW to 300000 mW (restore_settings by unauthenticated caller): ");
    }

    [Fact]
    public async Task NeverMode_Endpoints_ShowNothingAndRefuseToRestore()
    {
        using var nvml = new FakeNvml(keepState: true);
        await using var daemon = await RestoreDaemon.StartAsync(nvml, "never", _stateDir);
        using var client = daemon.CreateClient();
        await client.CallPostAsync(SetLimit(0, 200_000));

        Assert.Equal("{}", (await client.CallAsync("/gpu/get_changed_settings")).Body);
        var (status, body, _) = await client.CallPostAsync("/gpu/restore_settings?gpu_ids=0&block=true");
        Assert.Equal(400, status);
        Assert.Equal("{\"error\":\"" + RestoreRoutes.NotTrackingMessage + "\"}", body);
        Assert.Equal(200_000u, nvml.State()![0].PowerLimitMw);
    }

    [Fact]
    public async Task SimulatedGpus_ClientExits_LimitIsRestored()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--restore", "client", "--state-dir", _stateDir]);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await RestoreDaemon.CurlAsync(daemon.SocketPath!, SetLimit(2, 150_000))).Status);

        var deadline = DateTime.UtcNow + Within;
        string body;
        while ((body = (await client.CallAsync("/gpu/get_power_limit?gpu_ids=2")).Body) != "{\"2\":{\"power_limit_mw\":300000}}")
        {
            Assert.True(DateTime.UtcNow < deadline, "not restored: " + body);
            await Task.Delay(10);
        }
        await daemon.WaitForOutputAsync("Restored GPU 2 (0000:37:00.0) power_limit_mw from 150000 mW to 300000 mW");
    }
}
