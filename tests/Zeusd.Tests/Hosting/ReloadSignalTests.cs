using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Hosting;

public sealed class ReloadSignalTests
{
    [Fact]
    public async Task Sighup_Repeated_DaemonKeepsServingAndStillStopsCleanly()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, Posix.Kill(daemon.Pid, Posix.SigHup));
            await Task.Delay(100);
            Assert.False(daemon.Exited.IsCompleted, $"zeusd exited on SIGHUP:\n{daemon.Output}");
            Assert.Equal(200, (await client.CallAsync("/discover")).Status);
        }

        await daemon.WaitForOutputAsync("SIGHUP received; nothing to reload, ignoring it.");
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task Sighup_DaemonStartedWithSighupIgnored_StillHandlesIt()
    {
        // What nohup does: the daemon inherits SIGHUP ignored, and `kill -HUP` must still reach its reload handler.
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], commandPrefix: ["env", "--ignore-signal=HUP"]);

        Assert.Equal(0, Posix.Kill(daemon.Pid, Posix.SigHup));

        await daemon.WaitForOutputAsync("SIGHUP received; nothing to reload, ignoring it.");
        Assert.Equal(0, await daemon.StopAsync());
    }
}
