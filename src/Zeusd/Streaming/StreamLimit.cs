namespace Zeusd.Streaming;

/// <summary>
/// How many power streams may be open at once (<c>--max-streams</c>), GPU and CPU together. Each open stream holds a
/// connection, a response pipe and a subscription for as long as its client stays, read or not; the bound keeps
/// clients that never leave from growing the daemon without end.
/// </summary>
public sealed class StreamLimit(int max)
{
    private readonly SemaphoreSlim _places = new(max, max);

    public int Max => max;

    /// <summary>Takes a place for a new stream; false when <see cref="Max"/> streams are open.</summary>
    public bool TryOpen() => _places.Wait(0);

    /// <summary>Gives back the place of a stream that ended.</summary>
    public void Close() => _places.Release();
}
