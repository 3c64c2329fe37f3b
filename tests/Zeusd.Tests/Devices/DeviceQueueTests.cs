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
        })).ToArray();
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

        var failing = queue.RunAsync<int, int>(0, static (_, _) => throw new DeviceException(DeviceErrorKind.NoPermission, "nope"));
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

        var error = await Assert.ThrowsAsync<DeviceException>(() => queue.RunAsync(0, static (_, _) => 1));
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

        var hung = blocked.RunAsync(0, static (gate, _) => gate.Wait(TimeSpan.FromSeconds(30)));
        int answer = await free.RunAsync(0, static (_, _) => 5).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(5, answer);
        Assert.False(hung.IsCompleted);
        release.Set();
        Assert.True(await hung);
    }
}
