using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Zeusd.Devices;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Devices;

public sealed class DeviceQueueTests
{
    private sealed class Recorder
    {
        public List<int> Seen { get; } = [];
        public int Active;
        public int MaxActive;
    }

    [Fact]
    public async Task RunAsync_ManyCommands_RunOneAtATimeInArrivalOrder()
    {
        var device = new Recorder();
        await using var queue = new DeviceQueue<Recorder>(device, "GPU", 0, NullLogger.Instance);

        var tasks = Enumerable.Range(0, 200).Select(i => queue.RunAsync(i, static (d, n) =>
        {
            int active = Interlocked.Increment(ref d.Active);
            d.MaxActive = Math.Max(d.MaxActive, active);
            d.Seen.Add(n);
            Thread.SpinWait(100);
            Interlocked.Decrement(ref d.Active);
            return n * 2;
        }).AsTask()).ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(0, 200), device.Seen);
        Assert.Equal(1, device.MaxActive);
        Assert.Equal(Enumerable.Range(0, 200).Select(n => n * 2), results);
    }

    [Fact]
    public async Task Post_ThenRunAsync_PostedCommandsRunFirst()
    {
        var device = new Recorder();
        await using var queue = new DeviceQueue<Recorder>(device, "GPU", 0, NullLogger.Instance);

        for (int i = 0; i < 10; i++)
        {
            queue.Post(i, static (d, n) => d.Seen.Add(n), "record");
        }
        await queue.RunAsync(10, static (d, n) => { d.Seen.Add(n); return true; });

        Assert.Equal(Enumerable.Range(0, 11), device.Seen);
    }

    [Fact]
    public async Task RunAsync_DeviceThrows_FaultsOnlyThatCommand()
    {
        await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance);

        var failing = queue.RunAsync<int, int>(0, static (_, _) => throw new DeviceException(DeviceErrorKind.NoPermission, "nope")).AsTask();
        var next = queue.RunAsync(0, static (_, _) => 42);

        var error = await Assert.ThrowsAsync<DeviceException>(() => failing);
        Assert.Equal(DeviceErrorKind.NoPermission, error.Kind);
        Assert.Equal(42, await next);
    }

    [Fact]
    public async Task Post_DeviceThrows_QueueKeepsRunning()
    {
        var device = new Recorder();
        await using var queue = new DeviceQueue<Recorder>(device, "GPU", 0, NullLogger.Instance);

        queue.Post(0, static (_, _) => throw new DeviceException(DeviceErrorKind.InvalidArgument, "bad"), "set");
        int after = await queue.RunAsync(0, static (_, _) => 7);

        Assert.Equal(7, after);
    }

    [Fact]
    public async Task RunAsync_AfterDispose_FailsWithSendError()
    {
        var queue = new DeviceQueue<Recorder>(new Recorder(), "CPU", 1, NullLogger.Instance);
        await queue.DisposeAsync();

        var error = await Assert.ThrowsAsync<DeviceException>(() => queue.RunAsync(0, static (_, _) => 1).AsTask());
        Assert.Equal(DeviceErrorKind.QueueClosed, error.Kind);
        Assert.Equal("CPU command send error: channel closed", error.Message);
        Assert.Throws<DeviceException>(() => queue.Post(0, static (_, _) => { }, "x"));
    }

    [Fact]
    public async Task RunAsync_OneQueueBlocked_OtherQueueStillAnswers()
    {
        using var release = new ManualResetEventSlim();
        await using var blocked = new DeviceQueue<ManualResetEventSlim>(release, "GPU", 0, NullLogger.Instance);
        await using var free = new DeviceQueue<Recorder>(new Recorder(), "GPU", 1, NullLogger.Instance);

        var hung = blocked.RunAsync(0, static (gate, _) => gate.Wait(TimeSpan.FromSeconds(30))).AsTask();
        int answer = await free.RunAsync(0, static (_, _) => 5).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(5, answer);
        Assert.False(hung.IsCompleted);
        release.Set();
        Assert.True(await hung);
    }

    /// <summary>
    /// A new device's commands run on pool threads until their measured average (which starts with the first call's
    /// JIT time) says they are quick.
    /// </summary>
    private static async Task WarmUpAsync(DeviceQueue<Recorder> queue)
    {
        for (int i = 0; i < 200; i++)
        {
            await queue.RunAsync(0, static (_, _) => 0);
        }
    }

    [Fact]
    public async Task RunAsync_FastDeviceWhenIdle_RunsOnTheCallersThread()
    {
        // Request threads are pool threads; only those are lent to a device.
        await Task.Run(async () =>
        {
            await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance);
            await WarmUpAsync(queue);

            int caller = Environment.CurrentManagedThreadId;
            var run = queue.RunAsync(0, static (_, _) => Environment.CurrentManagedThreadId);

            Assert.True(run.IsCompletedSuccessfully);
            Assert.Equal(caller, await run);
        });
    }

    [Fact]
    public async Task RunAsync_SlowDevice_RunsOffTheCallersThreadSoCallersNeverBlock()
    {
        await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance);
        await queue.RunAsync(0, static (_, _) => { Thread.Sleep(5); return 0; });

        int caller = Environment.CurrentManagedThreadId;
        var run = queue.RunAsync(0, static (_, _) => { Thread.Sleep(5); return Environment.CurrentManagedThreadId; });

        Assert.False(run.IsCompleted);
        Assert.NotEqual(caller, await run);
    }

    [Fact]
    public async Task RunAsync_FastDeviceThrowsInline_FaultsThatCallOnly()
    {
        // Request threads are pool threads; only those are lent to a device.
        await Task.Run(async () =>
        {
            await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance);
            await WarmUpAsync(queue);

            var failing = queue.RunAsync<int, int>(0, static (_, _) => throw new DeviceException(DeviceErrorKind.InvalidArgument, "bad"));

            Assert.True(failing.IsFaulted);
            await Assert.ThrowsAsync<DeviceException>(() => failing.AsTask());
            Assert.Equal(3, await queue.RunAsync(0, static (_, _) => 3));
        });
    }

    [Fact]
    public async Task DisposeAsync_DeviceStuckInACall_GivesUpAfterTheDrainTimeout()
    {
        using var release = new ManualResetEventSlim();
        var queue = new DeviceQueue<ManualResetEventSlim>(release, "GPU", 2, NullLogger.Instance);
        var stuck = queue.RunAsync(0, static (gate, _) => gate.Wait(TimeSpan.FromSeconds(30))).AsTask();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await queue.DisposeAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        release.Set();
        Assert.True(await stuck);
    }

    /// <summary>A queue whose device is stuck in its first command until <paramref name="release"/> is set.</summary>
    private static async Task<(DeviceQueue<ManualResetEventSlim> Queue, Task<bool> Stuck)> StuckQueueAsync(
        ManualResetEventSlim release, DeviceQueueOptions options, int index = 0, ILogger? logger = null)
    {
        var queue = new DeviceQueue<ManualResetEventSlim>(release, "GPU", index, logger ?? NullLogger.Instance, options);
        using var started = new ManualResetEventSlim();
        var stuck = queue.RunAsync(started, static (gate, started) => { started.Set(); return gate.Wait(TimeSpan.FromSeconds(30)); }).AsTask();
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));
        await Task.Yield();
        return (queue, stuck);
    }

    [Fact]
    public async Task RunAsync_QueueFull_RefusesAtOnceNamingTheDeviceAndKeepsTheAcceptedInOrder()
    {
        using var release = new ManualResetEventSlim();
        var (queue, stuck) = await StuckQueueAsync(release, new DeviceQueueOptions { Depth = 3 }, index: 5);
        await using var _ = queue;
        var seen = new List<int>();

        var accepted = Enumerable.Range(0, 3).Select(i => queue.RunAsync(i, (_, n) => { lock (seen) { seen.Add(n); } return n; }).AsTask()).ToArray();
        var refused = queue.RunAsync(3, static (_, n) => n);

        Assert.True(refused.IsFaulted);
        var error = await Assert.ThrowsAsync<DeviceException>(() => refused.AsTask());
        Assert.Equal(DeviceErrorKind.QueueFull, error.Kind);
        Assert.Equal("GPU 5 is busy: 3 commands are already waiting for it. Retry later.", error.Message);
        var posted = Assert.Throws<DeviceException>(() => queue.Post(4, (_, n) => { lock (seen) { seen.Add(n); } }, "set"));
        Assert.Equal(DeviceErrorKind.QueueFull, posted.Kind);

        release.Set();
        Assert.True(await stuck);
        int[] results = await Task.WhenAll(accepted);
        Assert.Equal([0, 1, 2], results);
        Assert.Equal([0, 1, 2], seen);
        // Room again once the device caught up.
        Assert.Equal(6, await queue.RunAsync(6, static (_, n) => n));
    }

    [Fact]
    public async Task RunAsync_SlowDevice_RunsOnTheDevicesOwnBackgroundThreadNotThePool()
    {
        await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 3, NullLogger.Instance);

        var first = await queue.RunAsync(0, static (_, _) => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.IsBackground, Thread.CurrentThread.Name, Environment.CurrentManagedThreadId));
        var second = await queue.RunAsync(0, static (_, _) => { Thread.Sleep(2); return Environment.CurrentManagedThreadId; });

        Assert.False(first.IsThreadPoolThread);
        Assert.True(first.IsBackground);
        Assert.Equal("GPU 3", first.Name);
        Assert.Equal(first.CurrentManagedThreadId, second);
    }

    [Fact]
    public async Task RunAsync_InlineBudgetInUse_FastDeviceRunsOnItsThreadInstead()
    {
        // Request threads are pool threads; only those are lent to a device.
        await Task.Run(async () =>
        {
            var budget = new InlineCallBudget(1);
            await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance, new DeviceQueueOptions { Inline = budget });
            await WarmUpAsync(queue);
            int caller = Environment.CurrentManagedThreadId;
            Assert.Equal(caller, await queue.RunAsync(0, static (_, _) => Environment.CurrentManagedThreadId));

            // Another device's command holds the only slot (say, hung in its driver on a request thread).
            Assert.True(budget.TryEnter());
            var run = queue.RunAsync(0, static (_, _) => Environment.CurrentManagedThreadId);
            budget.Exit();

            Assert.NotEqual(caller, await run);
        });
    }

    [Fact]
    public async Task RunAsync_CallerIsNotAPoolThread_FastDeviceRunsOnItsOwnThread()
    {
        await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance);
        await Task.Run(() => WarmUpAsync(queue));

        // A socket engine's event thread (inline socket completions) is such a caller: it must never be held by a driver.
        int caller = 0;
        ValueTask<int> run = default;
        var eventThread = new Thread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            run = queue.RunAsync(0, static (_, _) => Environment.CurrentManagedThreadId);
        });
        eventThread.Start();
        eventThread.Join();

        Assert.NotEqual(caller, await run);
    }

    [Fact]
    public async Task RunAsync_InlineOff_FastDeviceNeverRunsOnTheCaller()
    {
        await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance, new DeviceQueueOptions { Inline = null });
        await WarmUpAsync(queue);

        int caller = Environment.CurrentManagedThreadId;
        var run = queue.RunAsync(0, static (_, _) => Environment.CurrentManagedThreadId);

        Assert.NotEqual(caller, await run);
    }

    [Fact]
    public async Task DisposeAllAsync_SeveralDevicesStuck_WaitsOneDrainTimeoutAndNamesEach()
    {
        using var release = new ManualResetEventSlim();
        var log = new CapturingLogger();
        var queues = new List<DeviceQueue<ManualResetEventSlim>>();
        var stuck = new List<Task<bool>>();
        for (int i = 0; i < 4; i++)
        {
            var (queue, task) = await StuckQueueAsync(release, DeviceQueueOptions.Default, index: i, logger: log);
            queues.Add(queue);
            stuck.Add(task);
        }
        queues[2].Post(0, static (_, _) => { }, "set");
        await using var idle = new DeviceQueue<Recorder>(new Recorder(), "GPU", 9, log);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool drained = await DeviceQueue<ManualResetEventSlim>.DisposeAllAsync(queues);

        Assert.False(drained);
        Assert.InRange(clock.Elapsed, DeviceQueue<Recorder>.DrainTimeout * 0.9, DeviceQueue<Recorder>.DrainTimeout * 1.9);
        for (int i = 0; i < 4; i++)
        {
            Assert.Contains(log.Lines, line => line.StartsWith($"Warning: GPU {i} is still inside a device call after 2 s ({(i == 2 ? 1 : 0)} more commands waiting)", StringComparison.Ordinal));
        }
        release.Set();
        await Task.WhenAll(stuck);
        Assert.True(await DeviceQueue<Recorder>.DisposeAllAsync([idle]));
    }

    [Fact]
    public async Task Post_FailingFlood_LogsTheFirstFailureThenOneCountPerInterval()
    {
        var clock = new ManualTimeProvider();
        var log = new CapturingLogger();
        var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 1, log, new DeviceQueueOptions { Time = clock });

        for (int i = 0; i < 200; i++)
        {
            queue.Post(0, static (_, _) => throw new DeviceException(DeviceErrorKind.InvalidArgument, "NVML error: invalid argument"), "set_power_limit");
        }
        await queue.RunAsync(0, static (_, _) => 0);
        Assert.Equal(["Error: GPU 1: non-blocking set_power_limit failed: NVML error: invalid argument"], log.Lines);

        clock.Advance(RepeatedFailureLog.DefaultInterval);
        Assert.Equal("Error: GPU 1: non-blocking set_power_limit failed 199 more times in the last 10 s: NVML error: invalid argument", log.Lines[^1]);
        await queue.DisposeAsync();
        Assert.Equal(2, log.Lines.Length);
    }
}
