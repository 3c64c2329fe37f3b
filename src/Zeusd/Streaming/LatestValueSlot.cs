namespace Zeusd.Streaming;

/// <summary>
/// A device's newest sample and the subscribers waiting for it. Publishing replaces the sample and wakes each
/// subscriber; nothing queues, so a subscriber that is busy when samples arrive later sees only the newest one.
/// Subscribe and unsubscribe are rare and copy the subscriber array; a publish only reads it.
/// </summary>
public sealed class LatestValueSlot
{
    private readonly Lock _lock = new();
    private AsyncSignal[] _subscribers = [];
    private StreamSample? _latest;
    private long _sequence;
    private int _freshSampleRequested;

    /// <summary>The newest sample, or null when nothing was published since the last <see cref="Clear"/>.</summary>
    public StreamSample? Latest => Volatile.Read(ref _latest);

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>The sequence number of the next publish; only the slot's one publisher calls this.</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Publish(StreamSample sample)
    {
        Volatile.Write(ref _latest, sample);
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }
        // Wake-ups are served roughly in the order given; rotating the start spreads the fan-out's latency evenly
        // instead of always making the same subscribers wait longest.
        int start = (int)(sample.Sequence % subscribers.Length);
        for (int i = start; i < subscribers.Length; i++)
        {
            subscribers[i].Notify();
        }
        for (int i = 0; i < start; i++)
        {
            subscribers[i].Notify();
        }
    }

    /// <summary>Forgets the stored sample, so that nobody is ever handed one from an earlier polling session.</summary>
    public void Clear() => Volatile.Write(ref _latest, null);

    public void Add(AsyncSignal subscriber)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscriber];
        }
    }

    public void Remove(AsyncSignal subscriber)
    {
        lock (_lock)
        {
            int index = Array.IndexOf(_subscribers, subscriber);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers.AsSpan(0, index), .. _subscribers.AsSpan(index + 1)];
            }
        }
    }

    /// <summary>
    /// A subscriber arrived and the stored sample is too old for it: the next poll is published even if its value
    /// did not change.
    /// </summary>
    public void RequestFreshSample() => Volatile.Write(ref _freshSampleRequested, 1);

    /// <summary>Whether a fresh sample was requested since the last call (the publisher consumes the request).</summary>
    public bool TakeFreshSampleRequest() => Interlocked.Exchange(ref _freshSampleRequested, 0) == 1;
}
