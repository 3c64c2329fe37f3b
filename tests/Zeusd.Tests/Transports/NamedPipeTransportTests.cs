using Zeusd.Transports;
using Zeusd.Tests.Integration;
using Zeusd.Configuration;

namespace Zeusd.Tests.Transports;

/// <summary>The named-pipe transport as far as Linux allows: naming, and that its flags exist only on Windows.</summary>
public sealed class NamedPipeTransportTests
{
    [Theory]
    [InlineData(@"\\.\pipe\zeusd", "zeusd")]
    [InlineData(@"\\.\PIPE\zeusd-gpu", "zeusd-gpu")]
    [InlineData("zeusd", "zeusd")]
    public void BareName_PipePathOrName_GivesWhatKestrelListensOn(string pipeName, string expected)
    {
        Assert.Equal(expected, NamedPipeTransport.BareName(pipeName));
    }

    [Fact]
    public void Defaults_PipeNameAndSddl_AreTheOriginalDaemons()
    {
        var options = new ServeOptions();

        Assert.Equal(@"\\.\pipe\zeusd", options.PipeName);
        Assert.Equal("D:(A;;GRGW;;;AU)", options.PipeSddl);
        Assert.Equal(TransportMode.Uds, options.Mode);
    }

    [Theory]
    [InlineData("--pipe-name", @"\\.\pipe\x")]
    [InlineData("--pipe-sddl", "D:(A;;GA;;;WD)")]
    [InlineData("--mode", "named-pipe")]
    public async Task Serve_WindowsOnlyFlagOnLinux_IsAUsageError(string flag, string value)
    {
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", flag, value]);

        Assert.Equal(2, exit);
        Assert.Contains(flag == "--mode" ? "named-pipe" : flag, stderr);
    }
}
