namespace Zeusd.Common;

/// <summary>Wall-clock time as the wire carries it: whole milliseconds since the Unix epoch.</summary>
public static class UnixTime
{
    public static ulong Milliseconds(TimeProvider time) => (ulong)Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds());
}
