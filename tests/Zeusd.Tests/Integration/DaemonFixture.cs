namespace Zeusd.Tests.Integration;

/// <summary>
/// One daemon shared by the tests of a class: started once with <see cref="StartAsync"/>, one client, and stopped (then
/// <see cref="DisposeResources"/>) after the last test. Subclasses say how the daemon runs and what it runs on.
/// </summary>
public abstract class DaemonFixture : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>How long a client request may take (longer where a fake device is slow on purpose).</summary>
    protected virtual TimeSpan ClientTimeout => TimeSpan.FromSeconds(30);

    protected abstract Task<DaemonProcess> StartAsync();

    /// <summary>Releases what the daemon ran on (fake libraries, fake trees), after the daemon stopped.</summary>
    protected virtual void DisposeResources()
    {
    }

    public async Task InitializeAsync()
    {
        Daemon = await StartAsync();
        Client = Daemon.CreateClient(ClientTimeout);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
        DisposeResources();
    }
}
