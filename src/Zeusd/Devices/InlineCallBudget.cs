namespace Zeusd.Devices;

/// <summary>
/// How many quick device commands may run at once on the callers' own threads (request threads of the shared pool)
/// instead of on their devices' worker threads. A quick device can still hang in the driver; a command caught inline
/// then holds its caller's pool thread, so this bound caps how many pool threads hung hardware can ever take.
/// </summary>
public sealed class InlineCallBudget(int limit)
{
    /// <summary>
    /// The daemon's budget: half the processors, at least one. Hung hardware can then take at most half of the pool's
    /// minimum threads, and the rest keep serving <c>/discover</c>, other devices and the transport.
    /// </summary>
    public static InlineCallBudget Shared { get; } = new(Math.Max(1, Environment.ProcessorCount / 2));

    private readonly SemaphoreSlim _slots = new(limit, limit);

    public int Limit => limit;

    /// <summary>Takes one slot if one is free.</summary>
    public bool TryEnter() => _slots.Wait(0);

    public void Exit() => _slots.Release();
}
