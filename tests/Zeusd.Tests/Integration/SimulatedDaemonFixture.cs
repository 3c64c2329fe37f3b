namespace Zeusd.Tests.Integration;

/// <summary>One <c>zeusd serve --simulate</c> shared by the tests of a class that only read from it.</summary>
public sealed class SimulatedDaemonFixture : DaemonFixture
{
    protected override Task<DaemonProcess> StartAsync() => DaemonProcess.StartAsync(["--simulate"]);
}
