namespace Zeusd.Streaming;

/// <summary>
/// How many power streams may be open at once (<c>--max-streams</c>), GPU and CPU together. Each open stream holds a
/// connection, a response pipe and a subscription for as long as its client stays, read or not; the bound keeps
/// clients that never leave from growing the daemon without end.
/// </summary>
public sealed class StreamLimit(int max)
{
    public const int DefaultMax = 1024;

    private int _open;

    public int Max => max;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a place for a new stream; false when <see cref="Max"/> streams are open.</summary>
    public bool TryOpen()
    {
        if (Interlocked.Increment(ref _open) <= max)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        return false;
    }

    /// <summary>Gives back the place of a stream that ended.</summary>
    public void Close() => Interlocked.Decrement(ref _open);
}
