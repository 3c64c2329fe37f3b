using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Hosting;

public sealed class PrivilegeCheckTests
{
    [Theory]
    [InlineData("gpu-control", "gpu-control")]
    [InlineData("cpu-read", "cpu-read")]
    [InlineData("gpu-read,cpu-read", "cpu-read")]
    public async Task Serve_RootOnlyGroupAsUnprivilegedUser_ExitsOneNamingTheGroup(string enable, string named)
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--enable", enable, "--socket-path", Path.Combine(dir, "zeusd.sock")], commandPrefix: Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: API group '{named}' requires root but Zeusd is not running as root\n", stderr);
        Assert.False(File.Exists(Path.Combine(dir, "zeusd.sock")));
    }

    [Fact]
    public async Task Serve_GpuReadAsUnprivilegedUser_Serves()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));

        await using var daemon = await DaemonProcess.StartAsync(
            ["--enable", "gpu-read"], directory: dir, commandPrefix: Unprivileged.Prefix);
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.CallAsync("/discover");
        Assert.Equal(200, status);
        Assert.Contains("\"enabled_api_groups\":[\"gpu-read\"]", body);
        Assert.Equal(65534u, FileStat.Of(daemon.SocketPath!).Uid);
    }

    [Fact]
    public async Task Serve_SimulatedNodeAsUnprivilegedUser_ServesEveryGroup()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));

        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], directory: dir, commandPrefix: Unprivileged.Prefix);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=150000&block=true")).Status);
    }

    /// <summary>Started from a directory its user cannot enter (e.g. <c>sudo -u nobody zeusd</c> from /root), it still serves.</summary>
    [Fact]
    public async Task Serve_WorkingDirectoryClosedToTheUser_Serves()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));
        string closed = Path.Combine(dir, "closed");
        string cwd = Path.Combine(closed, "cwd");
        Directory.CreateDirectory(cwd);
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var daemon = await DaemonProcess.StartAsync(
            ["--enable", "gpu-read"], directory: dir, commandPrefix: Unprivileged.Prefix, workingDirectory: cwd);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallAsync("/discover")).Status);
    }
}
