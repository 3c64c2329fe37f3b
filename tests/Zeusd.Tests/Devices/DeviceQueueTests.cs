using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices;

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
        await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance);
        await WarmUpAsync(queue);

        int caller = Environment.CurrentManagedThreadId;
        var run = queue.RunAsync(0, static (_, _) => Environment.CurrentManagedThreadId);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.Equal(caller, await run);
    }

    [Fact]
    public async Task RunAsync_SlowDevice_RunsOnAPoolThreadSoCallersNeverBlock()
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
        await using var queue = new DeviceQueue<Recorder>(new Recorder(), "GPU", 0, NullLogger.Instance);
        await WarmUpAsync(queue);

        var failing = queue.RunAsync<int, int>(0, static (_, _) => throw new DeviceException(DeviceErrorKind.InvalidArgument, "bad"));

        Assert.True(failing.IsFaulted);
        await Assert.ThrowsAsync<DeviceException>(() => failing.AsTask());
        Assert.Equal(3, await queue.RunAsync(0, static (_, _) => 3));
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
}
