using System.Diagnostics;
using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices;

/// <summary>
/// How the real daemon schedules device work when the hardware misbehaves (issue 12): a bounded queue per GPU, hung
/// GPUs that stall only themselves, stops within the drain budget, and a log that summarizes repeated failures.
/// </summary>
public sealed class DeviceSchedulingTests
{
    private static readonly string[] GpuGroups = ["--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read"];

    private static string SetLimit(int gpu, uint milliwatts, bool block) =>
        $"/gpu/set_power_limit?gpu_ids={gpu}&power_limit_mw={milliwatts}&block={(block ? "true" : "false")}";

    [Fact]
    public async Task NonBlockingFlood_SetterBlocked_RefusesWith503AndRetryAfterOnceTheQueueIsFull()
    {
        const int depth = 8;
        using var nvml = new FakeNvml(gpuCount: 2);
        nvml.SetFault(0, FakeNvml.SetPowerLimit, "block");
        await using var daemon = await DaemonProcess.StartAsync([.. GpuGroups, "--device-queue-depth", depth.ToString()], nvml.Environment);
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(10));

        // One command inside the setter, then exactly `depth` more fit.
        Assert.Equal(200, (await client.CallPostAsync(SetLimit(0, 100_000, block: false))).Status);
        await nvml.WaitForCallAsync(c => c.Function == FakeNvml.SetPowerLimit);
        for (uint i = 1; i <= depth; i++)
        {
            Assert.Equal(200, (await client.CallPostAsync(SetLimit(0, 100_000 + i, block: false))).Status);
        }
        long rssBefore = daemon.ResidentBytes;

        // The flood: every further command is refused at once.
        const int flood = 2000;
        var statuses = new List<int>();
        var refusals = await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            using var floodClient = daemon.CreateClient(TimeSpan.FromSeconds(10));
            var seen = new List<(int Status, string Body, string? RetryAfter)>();
            for (int i = 0; i < flood / 4; i++)
            {
                var (status, body, response) = await floodClient.CallPostAsync(SetLimit(0, 200_000, block: false));
                seen.Add((status, body, response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null));
            }
            return seen;
        }));
        var all = refusals.SelectMany(r => r).ToList();
        Assert.All(all, r => Assert.Equal(503, r.Status));
        Assert.All(all, r => Assert.Equal("1", r.RetryAfter));
        Assert.Equal("{\"errors\":{\"0\":\"GPU 0 is busy: 8 commands are already waiting for it. Retry later.\"}}", all[0].Body);
        // Nothing of the refused commands stays behind (before the bound, 11 M queued commands took 860 MB).
        Assert.InRange(daemon.ResidentBytes - rssBefore, long.MinValue, 16L << 20);

        // Another GPU is not affected, a blocking command on the full GPU is refused too.
        Assert.Equal(200, (await client.CallPostAsync(SetLimit(1, 150_000, block: true))).Status);
        Assert.Equal(503, (await client.CallPostAsync(SetLimit(0, 150_000, block: true))).Status);

        // Released, the accepted commands run in the order they were sent, and only they.
        nvml.ClearFault(0, FakeNvml.SetPowerLimit);
        // A read through the same queue answers once the backlog is done (until then it may find the queue still full).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int readStatus;
        while ((readStatus = (await client.CallAsync("/gpu/get_power_limit?gpu_ids=0")).Status) == 503 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(200, readStatus);
        var applied = nvml.Calls().Where(c => c.Function == FakeNvml.SetPowerLimit && c.Gpu == 0).Select(c => c["limit"]).ToList();
        Assert.Equal(Enumerable.Range(0, depth + 1).Select(i => (100_000 + i).ToString()), applied);
    }

    [Fact]
    public async Task HungGpus_InCommandsAndStreams_DiscoverAndTheOtherGpuStillAnswerAtOnce()
    {
        const int gpus = 8, hung = 7;
        using var nvml = new FakeNvml(gpuCount: gpus);
        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, nvml.Environment);
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(60));
        // Quick devices: after this, idle GPUs run commands on the request's own thread.
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(200, (await client.CallAsync("/gpu/get_power")).Status);
        }

        for (int gpu = 0; gpu < hung; gpu++)
        {
            nvml.SetFault(gpu, "any", "hang");
        }
        // Every kind of device work gets stuck at once: reads, blocking and non-blocking writes, stream polls.
        using var cancel = new CancellationTokenSource();
        var stuck = new List<Task>();
        var streams = new List<Task<SseConnection>>();
        for (int gpu = 0; gpu < hung; gpu++)
        {
            stuck.Add(client.GetAsync($"/gpu/get_power?gpu_ids={gpu}", cancel.Token));
            stuck.Add(client.PostAsync(SetLimit(gpu, 120_000, block: true), null, cancel.Token));
            stuck.Add(client.PostAsync(SetLimit(gpu, 130_000, block: false), null, cancel.Token));
            streams.Add(SseConnection.OpenAsync(daemon.SocketPath!, $"/gpu/stream_power?gpu_ids={gpu}", TimeSpan.FromSeconds(30)));
        }

        // Probed from the moment the GPUs hang until every hung call has surely started, and a while longer.
        using var probe = daemon.CreateClient(TimeSpan.FromSeconds(60));
        var slowest = TimeSpan.Zero;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        for (int round = 0; DateTime.UtcNow < until || round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(200, (await probe.CallAsync("/discover")).Status);
            Assert.Equal(200, (await probe.CallAsync($"/gpu/get_power?gpu_ids={gpus - 1}")).Status);
            Assert.Equal(200, (await probe.CallPostAsync(SetLimit(gpus - 1, 140_000 + (uint)round, block: true))).Status);
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
        }
        for (int gpu = 0; gpu < hung; gpu++)
        {
            await nvml.WaitForCallAsync(c => c.Gpu == gpu && c.Function == FakeNvml.GetFieldValues);
        }

        // Before dedicated device threads, 8 hung GPUs kept /discover from answering for 13.8 s.
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"slowest round took {slowest}");
        Assert.All(stuck.Where((_, i) => i % 3 != 2), task => Assert.False(task.IsCompleted));
        await cancel.CancelAsync();
        foreach (var stream in streams)
        {
            (await stream).Dispose();
        }
    }

    [Fact]
    public async Task Stop_GpusHungInCommandsAndInAPolledStream_ExitsZeroWithinTheBudgetAndNamesThem()
    {
        using var nvml = new FakeNvml(gpuCount: 4);
        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, nvml.Environment);
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(60));
        for (int gpu = 0; gpu < 3; gpu++)
        {
            nvml.SetFault(gpu, FakeNvml.SetPowerLimit, "hang");
        }
        nvml.SetFault(3, FakeNvml.GetFieldValues, "hang");
        // GPUs 0 and 1 hang in commands nobody waits for, GPU 2 in one a client waits for, GPU 3's poller in a read.
        Assert.Equal(200, (await client.CallPostAsync(SetLimit(0, 120_000, block: false))).Status);
        Assert.Equal(200, (await client.CallPostAsync(SetLimit(1, 120_000, block: false))).Status);
        var waiting = client.PostAsync(SetLimit(2, 120_000, block: true), null);
        using var stream = await SseConnection.OpenAsync(daemon.SocketPath!, "/gpu/stream_power?gpu_ids=3");
        for (int gpu = 0; gpu < 3; gpu++)
        {
            await nvml.WaitForCallAsync(c => c.Gpu == gpu && c.Function == FakeNvml.SetPowerLimit);
        }
        await nvml.WaitForCallAsync(c => c.Gpu == 3 && c.Function == FakeNvml.GetFieldValues);

        var clock = Stopwatch.StartNew();
        int exitCode = await daemon.StopAsync(TimeSpan.FromSeconds(30));

        // 5 s for the waiting request, then one 2 s drain for all devices at once (one after another took 25.8 s).
        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9.5), $"stop took {clock.Elapsed}");
        foreach (string device in new[] { "GPU 0", "GPU 1", "GPU 2", "Power poller for GPU 3" })
        {
            Assert.Contains($"{device} is still inside a device call", daemon.Output);
        }
        // GPU 3's management queue was idle: only its poller is named.
        Assert.DoesNotContain("] GPU 3 is still inside", daemon.Output);
        await Assert.ThrowsAnyAsync<Exception>(() => waiting);
    }

    [Fact]
    public async Task NonBlockingFailureFlood_LogsTheFirstFailureAtOnceAndTheRepeatsAsACount()
    {
        using var nvml = new FakeNvml(gpuCount: 1);
        nvml.SetFault(0, FakeNvml.SetPowerLimit, "unknown");
        await using var daemon = await DaemonProcess.StartAsync(GpuGroups, nvml.Environment);
        const string failure = "GPU 0: non-blocking set_power_limit failed";
        var clock = Stopwatch.StartNew();

        var accepted = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var client = daemon.CreateClient(TimeSpan.FromSeconds(10));
            int ok = 0;
            for (int i = 0; i < 250; i++)
            {
                ok += (await client.CallPostAsync(SetLimit(0, 150_000, block: false))).Status == 200 ? 1 : 0;
            }
            return ok;
        }));
        int total = accepted.Sum();
        // Some may find the queue full on a loaded machine; the flood is what matters.
        Assert.True(total > 200, $"only {total} commands were accepted");
        await daemon.WaitForOutputAsync(failure);
        using (var client = daemon.CreateClient())
        {
            // Through the same queue: every accepted command has run once this answers.
            await client.CallAsync("/gpu/get_power_limit?gpu_ids=0");
        }
        int linesDuringFlood = FailureLines(daemon.Output).Count;
        // One summary line per 10 s of flood at most (2,000 lines per 1,000 commands before).
        int intervals = (int)(clock.Elapsed.TotalSeconds / 10);

        Assert.Equal(0, await daemon.StopAsync());

        // The first failure at once, then one line per 10 s (and one at the stop) with how many more there were.
        Assert.InRange(linesDuringFlood, 1, 2 + intervals);
        var lines = FailureLines(daemon.Output);
        Assert.InRange(lines.Count, 2, 3 + intervals);
        Assert.Contains("set_power_limit failed: NVML error: an internal driver error occured", lines[0]);
        long counted = 1 + lines.Skip(1).Sum(line =>
            long.Parse(Regex.Match(line, @"failed (\d+) more times in the last [\d.]+ s: NVML error: an internal driver error occured").Groups[1].Value));
        Assert.Equal(total, counted);

        List<string> FailureLines(string output) => [.. output.Split('\n').Where(line => line.Contains(failure))];
    }
}
