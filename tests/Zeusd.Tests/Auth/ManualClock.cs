namespace Zeusd.Tests.Auth;

/// <summary>A clock that stands still until a test moves it.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public long UnixSeconds => Now.ToUnixTimeSeconds();

    public override DateTimeOffset GetUtcNow() => Now;
}
