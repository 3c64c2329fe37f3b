using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices.Gpu.AmdSmi;

/// <summary>
/// The process-wide call lock of libraries before 26.2 (spec §3.10), observed from the fake's call log, and what a
/// hung library call does to the rest of the daemon with and without it. One daemon per test.
/// </summary>
public sealed class AmdSmiSessionTests
{
    private const string SerializedLog = "calls are serialized to work around the pre-26.2 libamd_smi thread-safety bug";

    private static FakeAmdSmi Fake(int abi, string version, bool abortOnOverlap) => new(abi, new Dictionary<string, string>
    {
        ["gpus"] = "2",
        ["version"] = version,
        // The fake aborts the daemon if two calls are ever inside it at once: what pre-26.2 libraries may do.
        ["abort_on_overlap"] = abortOnOverlap ? "1" : "0",
    });

    private static async Task<List<AmdSmiCall>> ConcurrentPowerReadsAsync(FakeAmdSmi fake, DaemonProcess daemon)
    {
        fake.Set("delay.amdsmi_get_power_info", "300");
        long mark = fake.Mark();
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(30));
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.CallAsync("/gpu/get_power?gpu_ids=0,1")));
        fake.Remove("delay.amdsmi_get_power_info");
        Assert.All(results, r => Assert.Equal(200, r.Status));
        var reads = fake.CallsAfter(mark, FakeAmdSmi.GetPowerInfo).ToList();
        Assert.Equal(6, reads.Count);
        return reads;
    }

    private static bool AnyOverlap(IReadOnlyList<AmdSmiCall> calls) =>
        calls.SelectMany((a, i) => calls.Skip(i + 1).Select(b => a.Overlaps(b))).Any(o => o);

    [Theory]
    [InlineData(24, "24.7.1.0")]
    [InlineData(25, "25.25.3.0")]
    [InlineData(26, "26.0.0")]
    [InlineData(26, "26.1.0")]
    public async Task LibraryBefore262_EveryCallSerializedEvenAcrossGpus(int abi, string version)
    {
        using var fake = Fake(abi, version, abortOnOverlap: true);
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var reads = await ConcurrentPowerReadsAsync(fake, daemon);

        Assert.False(AnyOverlap(reads), "two power reads were inside the library at once:\n" + string.Join('\n', reads));
        Assert.Equal(1, fake.Stat("max_in_flight"));
        Assert.Equal(0, fake.Stat("overlaps"));
        Assert.Contains($"AMD SMI {version} {SerializedLog}", daemon.Output);
    }

    [Theory]
    [InlineData("26.2.0")]
    [InlineData("26.3.0")]
    public async Task Library262AndLater_GpusCallConcurrently(string version)
    {
        using var fake = Fake(26, version, abortOnOverlap: false);
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);

        var reads = await ConcurrentPowerReadsAsync(fake, daemon);

        Assert.True(AnyOverlap(reads.Where(c => c.Gpu == 0).Concat(reads.Where(c => c.Gpu == 1)).ToList()),
            "GPU 0 and GPU 1 never read at the same time:\n" + string.Join('\n', reads));
        Assert.True(fake.Stat("max_in_flight") >= 2);
        Assert.DoesNotContain(SerializedLog, daemon.Output);
    }

    private static async Task<Task<(int Status, string Body, HttpResponseMessage Response)>> HangGpu0Async(FakeAmdSmi fake, HttpClient client)
    {
        fake.Set("hang.amdsmi_get_power_info.0", "forever");
        var hung = client.CallAsync("/gpu/get_power?gpu_ids=0");
        await FakeAmdSmi.WaitUntilAsync(() => fake.Stat("hung_now") == 1, "the GPU 0 power read hangs");
        return hung;
    }

    /// <summary>
    /// GPU 0's power read hangs. From 26.2 GPU 1 still answers; before, its call cannot get the library lock and
    /// answers 500 after the bounded wait instead of hanging too. <c>/discover</c> and <c>/time</c> answer either way,
    /// and once the call returns, the waiting request completes and GPU 1 answers again.
    /// </summary>
    [Theory]
    [InlineData("26.2.0", 200)]
    [InlineData("26.1.0", 500)]
    public async Task HungCall_OnOneGpu_OtherGpuDiscoverAndTimeAnswerAndEverythingRecoversOnRelease(string version, int otherGpuStatus)
    {
        using var fake = Fake(26, version, abortOnOverlap: version == "26.1.0");
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(30));
        var hung = await HangGpu0Async(fake, client);

        var other = await client.CallAsync("/gpu/get_power?gpu_ids=1");
        var discover = await client.CallAsync("/discover");
        var time = await client.CallAsync("/time");
        bool stillHung = !hung.IsCompleted;
        fake.Remove("hang.amdsmi_get_power_info.0");
        var released = await hung.WaitAsync(TimeSpan.FromSeconds(10));
        var after = await client.CallAsync("/gpu/get_power?gpu_ids=1");

        Assert.Equal(otherGpuStatus, other.Status);
        if (otherGpuStatus == 500)
        {
            Assert.Contains("AMD SMI call amdsmi_get_power_info on GPU 1 gave up after waiting 3 s: AMD SMI before 26.2 runs one call at a time, " +
                "and amdsmi_get_power_info on GPU 0 has been running for ", other.Body);
            Assert.Contains("so the library appears to be hung", other.Body);
        }
        Assert.Equal((200, 200), (discover.Status, time.Status));
        Assert.True(stillHung);
        Assert.Equal((200, 200), (released.Status, after.Status));
    }

    [Theory]
    [InlineData("26.1.0")]
    [InlineData("26.2.0")]
    public async Task HungCall_InTheStreamingPollerOfAGpu_SigtermStillExitsCleanly(string version)
    {
        using var fake = Fake(26, version, abortOnOverlap: version == "26.1.0");
        await using var daemon = await AmdSmiDaemon.StartAsync(fake);
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=0");
        Assert.NotNull(await stream.ReadChunkAsync(TimeSpan.FromSeconds(10)));
        fake.Set("hang.amdsmi_get_power_info.0", "forever");
        await FakeAmdSmi.WaitUntilAsync(() => fake.Stat("hung_now") == 1, "the poller's power read hangs");

        int code = await daemon.StopAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, code);
        Assert.Contains("Power poller for GPU 0 is still inside a device call", daemon.Output);
    }
}
