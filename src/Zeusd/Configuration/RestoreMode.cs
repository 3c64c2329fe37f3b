namespace Zeusd.Configuration;

/// <summary><c>--restore</c>: when zeusd puts back the GPU settings it changed.</summary>
public enum RestoreMode
{
    /// <summary>Never (the original daemon's behaviour): no journal, nothing is put back.</summary>
    Never,
    /// <summary>At SIGTERM/SIGINT, and at the next start after a crash.</summary>
    Shutdown,
    /// <summary>As <see cref="Shutdown"/>, and when the Unix-socket process that made a change exits.</summary>
    Client,
}
