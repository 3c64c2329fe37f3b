using Zeusd.Streaming;

namespace Zeusd.Tests.Streaming;

public sealed class AsyncSignalTests
{
    [Fact]
    public void WaitAsync_NotifiedBefore_CompletesAtOnce()
    {
        var signal = new AsyncSignal();
        signal.Notify();

        Assert.True(signal.WaitAsync().IsCompleted);
    }

    [Fact]
    public async Task WaitAsync_NotNotified_PendsUntilNotify()
    {
        var signal = new AsyncSignal();
        var wait = signal.WaitAsync().AsTask();
        Assert.False(wait.IsCompleted);

        signal.Notify();

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_ManyNotifiesWhileNotWaiting_WakeOnceThenPend()
    {
        var signal = new AsyncSignal();
        for (int i = 0; i < 5; i++)
        {
            signal.Notify();
        }

        await signal.WaitAsync();

        Assert.False(signal.WaitAsync().IsCompleted);
    }

    [Fact]
    public async Task WaitAsync_RepeatedRounds_EachNotifyWakesTheWaiter()
    {
        var signal = new AsyncSignal();
        for (int round = 0; round < 100; round++)
        {
            var wait = signal.WaitAsync().AsTask();
            _ = Task.Run(signal.Notify);
            await wait.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
