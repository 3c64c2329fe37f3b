using System.Net.Sockets;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Transports;

public sealed class UnixSocketTests
{
    [Fact]
    public async Task Serve_StaleSocketFile_RemovesItAndServes()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "zeusd.sock");
        // A socket that was bound and closed without unlinking: nobody listens, connect() is refused.
        Posix.CreateStaleSocket(path);
        Assert.Equal(0u, FileStat.Of(path).Uid);

        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], directory: dir, socketPath: path);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallAsync("/discover")).Status);
        await daemon.WaitForOutputAsync("Removing stale socket file");
    }

    [Fact]
    public async Task Serve_LiveSocket_RefusesAndLeavesTheOtherListenerAlone()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "zeusd.sock");
        using var live = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        live.Bind(new UnixDomainSocketEndPoint(path));
        live.Listen();

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--socket-path", path]);

        Assert.Equal(1, exit);
        Assert.Equal("Error: Socket is in use by another process\n", stderr);
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await probe.ConnectAsync(new UnixDomainSocketEndPoint(path));
    }

    [Fact]
    public async Task Serve_NonSocketFileAtPath_RefusesAndLeavesFileUntouched()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "zeusd.sock");
        await File.WriteAllTextAsync(path, "precious data");

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--socket-path", path]);

        Assert.Equal(1, exit);
        Assert.Equal("Error: Socket path is occupied by a non-socket file\n", stderr);
        Assert.Contains("already exists and is not a socket", stdout);
        Assert.Equal("precious data", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Serve_UnprobeableSocket_RefusesAndKeepsFile()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "zeusd.sock");
        Posix.CreateStaleSocket(path);
        File.SetUnixFileMode(path, UnixFileMode.None);
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("777", 8));

        // Root ignores mode 000, so probe as an unprivileged user (who may then not connect: EACCES).
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--socket-path", path], commandPrefix: Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.Equal("Error: Socket file already exists\n", stderr);
        Assert.Equal(0, FileStat.Of(path).Permissions);
    }

    [Fact]
    public async Task Serve_MissingParentDirectories_CreatesThem()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "run", "zeusd", "zeusd.sock");

        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], directory: dir, socketPath: path);

        Assert.True(System.IO.Directory.Exists(Path.Combine(dir, "run", "zeusd")));
        Assert.Equal(200, (await daemon.CreateClient().CallAsync("/time")).Status);
    }

    [Fact]
    public async Task Serve_RelativeSocketPath_BindsInTheWorkingDirectory()
    {
        string dir = DaemonProcess.NewTempDirectory();

        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate", "--socket-path", "./zeusd.sock"], directory: dir, socketPath: Path.Combine(dir, "zeusd.sock"),
            workingDirectory: dir);

        Assert.Equal(200, (await daemon.CreateClient().CallAsync("/discover")).Status);
        Assert.Equal(Convert.ToInt32("666", 8), FileStat.Of(Path.Combine(dir, "zeusd.sock")).Permissions);
    }

    [Fact]
    public async Task Serve_PermissionsAndOwner_AppliedToSocket()
    {
        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate", "--socket-permissions", "660", "--socket-uid", "65534", "--socket-gid", "65533"]);

        var status = FileStat.Of(daemon.SocketPath!);
        Assert.Equal(Convert.ToInt32("660", 8), status.Permissions);
        Assert.Equal(65534u, status.Uid);
        Assert.Equal(65533u, status.Gid);
    }

    [Fact]
    public async Task Serve_DefaultPermissions_SocketIsWorldWritable()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);

        Assert.Equal(Convert.ToInt32("666", 8), FileStat.Of(daemon.SocketPath!).Permissions);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("888")]
    [InlineData("")]
    [InlineData("77777")]
    public async Task Serve_InvalidSocketPermissions_ExitsOneAndCreatesNoSocket(string permissions)
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "zeusd.sock");

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--socket-path", path, "--socket-permissions", permissions]);

        Assert.Equal(1, exit);
        Assert.Equal("Error: Failed to parse socket permissions\n", stderr);
    }

    [Fact]
    public async Task Serve_Sigterm_FinishesAndExitsZero()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();
        // A request in flight when the signal arrives (CPU power takes one sampling period) still completes.
        var inFlight = client.CallAsync("/cpu/get_power?cpu_ids=0");
        await Task.Delay(20);

        int exit = await daemon.StopAsync();

        Assert.Equal(0, exit);
        Assert.Equal(200, (int)(await inFlight).Status);
    }

    [Fact]
    public async Task Serve_TcpMode_ServesOverTcp()
    {
        int port = DaemonProcessTcp.FreeLoopbackPort();
        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate", "--mode", "tcp", "--tcp-bind-address", $"127.0.0.1:{port}"], waitUntilReady: false);
        var tcp = new DaemonProcessTcp(daemon, $"127.0.0.1:{port}");
        using var client = tcp.CreateClient();
        await tcp.WaitUntilReadyAsync(client);

        var (status, body, _) = await client.CallAsync("/gpu/get_power_limit?gpu_ids=1");

        Assert.Equal(200, status);
        Assert.Equal("{\"1\":{\"power_limit_mw\":300000}}", body);
        await daemon.WaitForOutputAsync("Running in TCP mode without authentication");
    }

    [Fact]
    public async Task Serve_TcpPortInUse_ExitsOneWithAClearError()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        int port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--mode", "tcp", "--tcp-bind-address", $"127.0.0.1:{port}"]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"Error: Failed to listen on 127.0.0.1:{port}: ", stderr);
    }

    [Fact]
    public async Task Serve_SocketDirectoryNotWritable_ExitsOneWithAClearError()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("777", 8));
        string locked = Path.Combine(dir, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, (UnixFileMode)Convert.ToInt32("555", 8));

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--enable", "gpu-read", "--socket-path", Path.Combine(locked, "zeusd.sock")], commandPrefix: Unprivileged.Prefix);

        Assert.Equal(1, exit);
        Assert.StartsWith($"Error: Failed to listen on {Path.Combine(locked, "zeusd.sock")}: ", stderr);
    }
}
