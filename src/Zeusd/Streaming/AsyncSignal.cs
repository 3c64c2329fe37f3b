using System.Threading.Tasks.Sources;

namespace Zeusd.Streaming;

/// <summary>
/// An auto-reset wake-up for one waiter: <see cref="Notify"/> from any thread, any number of times; the waiter's next
/// <see cref="WaitAsync"/> completes once and the signal resets. Notifications that arrive while nobody waits are
/// coalesced into one, which is exactly "something changed, go look". Hand-written because a publish must wake a
/// thousand waiters at 20 Hz without allocating: <c>SemaphoreSlim.WaitAsync</c> allocates a task per wait and a
/// channel per subscriber costs a lock and a queue for a one-bit fact.
/// </summary>
public sealed class AsyncSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Signaled = 2;

    // Continuations run on the thread pool, so one publisher waking many waiters never runs their writes inline.
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;

    /// <summary>Wakes the waiter, now if it waits, else at its next <see cref="WaitAsync"/>.</summary>
    public void Notify()
    {
        if (Interlocked.Exchange(ref _state, Signaled) == Waiting)
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Completes when notified. Only one wait may be outstanding at a time.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
        {
            return ValueTask.CompletedTask;
        }
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // Notified between the two exchanges.
            Volatile.Write(ref _state, Idle);
            return ValueTask.CompletedTask;
        }
        return new ValueTask(this, _core.Version);
    }

    void IValueTaskSource.GetResult(short token)
    {
        _core.GetResult(token);
        // The notification that completed this wait is consumed here; later ones set Signaled again.
        Interlocked.CompareExchange(ref _state, Idle, Signaled);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
