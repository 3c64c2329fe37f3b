using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Restore;

/// <summary>
/// <c>--restore</c> on the fake libamd_smi: the hook is backend-neutral, and AMD SMI's way of resetting clocks (both
/// domains at once, through the performance level) is what a restore of locked clocks uses there.
/// </summary>
public sealed class RestoreAmdSmiTests : IDisposable
{
    private readonly string _stateDir = Path.Combine(DaemonProcess.NewTempDirectory(), "state");
    private readonly FakeAmdSmi _fake = new(abi: 26, config: new Dictionary<string, string> { ["gpus"] = "2" });

    public void Dispose()
    {
        _fake.Dispose();
        Directory.Delete(Path.GetDirectoryName(_stateDir)!, recursive: true);
    }

    private Task<DaemonProcess> StartAsync() => DaemonProcess.StartAsync(
        ["--gpu-backend", "amdsmi", "--enable", "gpu-control,gpu-read", "--restore", "shutdown", "--state-dir", _stateDir], _fake.Environment);

    [Fact]
    public async Task RestoreSettings_LockedClocks_ResetThroughThePerformanceLevel()
    {
        await using var daemon = await StartAsync();
        using var client = daemon.CreateClient();
        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=1&min_clock_mhz=600&max_clock_mhz=1800&block=true")).Status);
        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=1&min_clock_mhz=1000&max_clock_mhz=1200&block=true")).Status);
        Assert.NotEqual(0, _fake.Stat("perf.1"));
        long mark = _fake.Mark();

        var (status, body, _) = await client.CallPostAsync("/gpu/restore_settings?gpu_ids=1&block=true");

        Assert.Equal((200, ""), (status, body));
        Assert.Equal(0, _fake.Stat("perf.1"));
        Assert.Single(_fake.CallsAfter(mark, FakeAmdSmi.SetPerfLevel));
        Assert.Equal("{}", (await client.CallAsync("/gpu/get_changed_settings")).Body);
        Assert.Empty(RestoreDaemon.Records(_stateDir));
        await daemon.WaitForOutputAsync("GPU 1 cannot reset one clock domain; gpu_locked_clocks restored by resetting both (reset_locked_clocks)");
    }

    [Fact]
    public async Task SetPersistenceMode_UnsupportedBackend_AnswersTheBackendsErrorAndRecordsNothing()
    {
        await using var daemon = await StartAsync();
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.CallPostAsync("/gpu/set_persistence_mode?gpu_ids=0&enabled=true&block=true");

        Assert.Equal((400, "{\"errors\":{\"0\":\"Invalid request: persistence mode is not supported on AMD GPUs\"}}"), (status, body));
        Assert.Equal("{}", (await client.CallAsync("/gpu/get_changed_settings")).Body);
    }
}
