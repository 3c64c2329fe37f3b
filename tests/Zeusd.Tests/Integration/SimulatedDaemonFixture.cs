namespace Zeusd.Tests.Integration;

/// <summary>One <c>zeusd serve --simulate</c> shared by the tests of a class that only read from it.</summary>
public sealed class SimulatedDaemonFixture : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(["--simulate"]);
        Client = Daemon.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Daemon.DisposeAsync();
    }
}
