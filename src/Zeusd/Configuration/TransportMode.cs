namespace Zeusd.Configuration;

/// <summary><c>--mode</c>: where the daemon listens.</summary>
public enum TransportMode
{
    Uds,
    Tcp,
    NamedPipe,
}
