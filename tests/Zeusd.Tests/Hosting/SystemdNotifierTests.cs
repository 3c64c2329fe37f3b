using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Hosting;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Hosting;

public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task NotifyReady_AbstractNamespaceAddress_DeliversReadyToThatName()
    {
        using var listener = new NotifySocketListener("@zeusd-test-" + Guid.NewGuid().ToString("N"));
        var notifier = new SystemdNotifier(listener.Address, NullLogger.Instance);

        notifier.NotifyReady();

        Assert.True(notifier.IsEnabled);
        Assert.Equal("READY=1", await listener.ReceiveAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task NotifyReadyAndStopping_CalledTwiceEach_SendsEachStateOnce()
    {
        string dir = DaemonProcess.NewTempDirectory();
        using var listener = new NotifySocketListener(Path.Combine(dir, "notify"));
        var notifier = new SystemdNotifier(listener.Address, NullLogger.Instance);

        notifier.NotifyReady();
        notifier.NotifyReady();
        notifier.NotifyStopping();
        notifier.NotifyStopping();

        Assert.Equal("READY=1", await listener.ReceiveAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("STOPPING=1", await listener.ReceiveAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(listener.Drain());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("relative/notify")]
    [InlineData("vsock:2:1234")]
    public void Constructor_UnsetOrUnsupportedAddress_IsDisabledAndNotifyingIsHarmless(string? address)
    {
        var notifier = new SystemdNotifier(address, NullLogger.Instance);

        notifier.NotifyReady();
        notifier.NotifyStopping();

        Assert.False(notifier.IsEnabled);
    }

    [Fact]
    public void NotifyReady_NobodyListens_DoesNotThrow()
    {
        string missing = Path.Combine(DaemonProcess.NewTempDirectory(), "gone");
        var notifier = new SystemdNotifier(missing, NullLogger.Instance);

        notifier.NotifyReady();

        Assert.True(notifier.IsEnabled);
    }
}
