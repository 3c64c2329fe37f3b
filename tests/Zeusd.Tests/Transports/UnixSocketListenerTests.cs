using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Transports;

/// <summary>
/// The root daemon's socket setup against an unprivileged local attacker (nobody, through setpriv): symlink swaps
/// between bind and chmod, early connects under a permissive umask, foreign or writable socket directories, and a
/// stopping daemon that must not remove a newer daemon's socket. Every race is bounded in tries and time.
/// </summary>
public sealed class UnixSocketListenerTests
{
    private static readonly UnixFileMode Mode0600 = (UnixFileMode)Convert.ToInt32("600", 8);

    /// <summary>Runs the daemon under a umask (the test runner's is inherited otherwise).</summary>
    private static string[] WithUmask(string umask) => ShellSetup.Prefix($"umask {umask}");

    /// <summary>A root-owned 0600 file outside the socket directory: what the attacker wants root to chmod/chown.</summary>
    private static string CreateVictim()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string victim = Path.Combine(dir, "victim");
        File.WriteAllText(victim, "root's secret");
        File.SetUnixFileMode(victim, Mode0600);
        return victim;
    }

    [Fact]
    public async Task Serve_SocketDirectoryOwnedByAnotherUser_RefusesAndNoSymlinkSwapRedirectsChmodOrChown()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        string attackerDir = Path.Combine(dir, "run");
        Directory.CreateDirectory(attackerDir);
        File.SetUnixFileMode(attackerDir, (UnixFileMode)Convert.ToInt32("755", 8));
        Posix.Chown(attackerDir, 65534, 65534);
        string path = Path.Combine(attackerDir, "zeusd.sock");
        string victim = CreateVictim();
        await using var racer = SocketRacer.Swap(path, victim, TimeSpan.FromSeconds(60));

        var outcomes = new List<string>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            await using var daemon = await DaemonProcess.StartAsync(
                ["--simulate", "--socket-permissions", "666", "--socket-uid", "65534"], directory: DaemonProcess.NewTempDirectory(),
                socketPath: path, waitUntilReady: false);
            var exited = await Task.WhenAny(daemon.Exited, Task.Delay(TimeSpan.FromSeconds(10)));
            // The exit can be seen before the output readers have caught up: wait for the error line.
            outcomes.Add(exited == daemon.Exited
                ? $"exit {await daemon.Exited}: {await daemon.WaitForOutputAsync("Error: ")}"
                : $"served: {daemon.Output}");
            File.Delete(path); // whatever the racer left (a symlink), so the next attempt starts clean
        }

        var victimStatus = FileStat.Of(victim);
        Assert.Equal(Convert.ToInt32("600", 8), victimStatus.Permissions);
        Assert.Equal(0u, victimStatus.Uid);
        Assert.All(outcomes, outcome =>
        {
            Assert.StartsWith("exit 1: ", outcome);
            Assert.Contains($"Error: The directory {attackerDir} that holds the socket {path} is owned by uid 65534, not by root or zeusd's user (uid 0)", outcome);
        });
    }

    [Fact]
    public async Task Serve_StickyWorldWritableDirectoryWithRacer_ServesWithTheRequestedModeAndOwner()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("1777", 8));
        string path = Path.Combine(dir, "zeusd.sock");
        string victim = CreateVictim();

        for (int attempt = 0; attempt < 3; attempt++)
        {
            // Racing the startup only: once the daemon stops and frees the name, anyone may take it in a sticky directory.
            await using var racer = SocketRacer.Swap(path, victim, TimeSpan.FromSeconds(30));
            await using var daemon = await DaemonProcess.StartAsync(
                ["--simulate", "--socket-permissions", "640", "--socket-gid", "65533"], directory: DaemonProcess.NewTempDirectory(),
                socketPath: path);
            var counters = await racer.StopAsync();

            var socket = FileStat.Of(path);
            Assert.Equal(Convert.ToInt32("640", 8), socket.Permissions);
            Assert.Equal((0u, 65533u), (socket.Uid, socket.Gid));
            Assert.Equal(0, counters["swaps"]); // nobody may not rename over root's entry in a sticky directory
            Assert.Equal(0, await daemon.StopAsync());
        }

        Assert.Equal((Convert.ToInt32("600", 8), 0u), (FileStat.Of(victim).Permissions, FileStat.Of(victim).Uid));
    }

    [Fact]
    public async Task Serve_UnderUmask000_SocketIsNeverConnectableByOthersBeforeItsModeIsSet()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        string path = Path.Combine(dir, "zeusd.sock");
        await using var prober = SocketRacer.Connect(path, TimeSpan.FromSeconds(60));

        for (int attempt = 0; attempt < 3; attempt++)
        {
            await using var daemon = await DaemonProcess.StartAsync(
                ["--simulate", "--socket-permissions", "600"], directory: DaemonProcess.NewTempDirectory(), socketPath: path,
                commandPrefix: WithUmask("000"));
            Assert.Equal(Convert.ToInt32("600", 8), FileStat.Of(path).Permissions);
            Assert.Equal(0, await daemon.StopAsync());
        }

        var counters = await prober.StopAsync();
        Assert.True(counters["attempts"] > 1000, $"the prober hardly ran: {counters["attempts"]} attempts");
        Assert.Equal(0, counters["connected"]);
    }

    [Theory]
    [InlineData("000")]
    [InlineData("077")]
    public async Task Serve_MissingParentDirectoriesUnderAnyUmask_AreCreated0755(string umask)
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "run", "zeusd", "zeusd.sock");

        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], directory: dir, socketPath: path, commandPrefix: WithUmask(umask));

        Assert.Equal(Convert.ToInt32("755", 8), FileStat.Of(Path.Combine(dir, "run")).Permissions);
        Assert.Equal(Convert.ToInt32("755", 8), FileStat.Of(Path.Combine(dir, "run", "zeusd")).Permissions);
        Assert.Equal(Convert.ToInt32("666", 8), FileStat.Of(path).Permissions);
    }

    [Fact]
    public async Task Serve_MissingParentsAs0700UnderSystemdUmask_NonRootClientCanConnect()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        string path = Path.Combine(dir, "run", "zeusd.sock");

        await using var daemon = await DaemonProcess.StartAsync(["--simulate"], directory: dir, socketPath: path, commandPrefix: WithUmask("077"));
        await using var client = SocketRacer.Connect(path, TimeSpan.FromMilliseconds(300));

        Assert.True((await client.FinishAsync())["connected"] > 0);
    }

    [Theory]
    [InlineData("777")]
    [InlineData("775")]
    public async Task Serve_SocketDirectoryWritableByOthersWithoutStickyBit_RefusesNamingTheDirectory(string mode)
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32(mode, 8));
        string path = Path.Combine(dir, "zeusd.sock");

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--socket-path", path]);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: The directory {dir} that holds the socket {path} is writable by group or others without the sticky bit " +
            $"(mode 0{mode}); they could replace the socket {path}. Restrict it with: chmod go-w '{dir}'\n", stderr);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Serve_SymlinkAtSocketPath_RefusesAndLeavesLinkAndTargetAlone()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string elsewhere = Path.Combine(DaemonProcess.NewTempDirectory(), "stale.sock");
        Posix.CreateStaleSocket(elsewhere);
        string path = Path.Combine(dir, "zeusd.sock");
        File.CreateSymbolicLink(path, elsewhere);

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--socket-path", path]);

        Assert.Equal(1, exit);
        Assert.Equal("Error: Socket path is occupied by a non-socket file\n", stderr);
        Assert.Contains($"{path} already exists and is not a socket", stdout);
        Assert.Equal(elsewhere, new FileInfo(path).LinkTarget);
        Assert.True(File.Exists(elsewhere));
    }

    [Fact]
    public async Task Stop_AfterAnotherDaemonTookThePath_LeavesTheOtherDaemonsSocket()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "zeusd.sock");
        await using var first = await DaemonProcess.StartAsync(["--simulate"], directory: DaemonProcess.NewTempDirectory(), socketPath: path);
        File.Delete(path); // an operator removes it, or a cleanup job does
        await using var second = await DaemonProcess.StartAsync(["--simulate"], directory: DaemonProcess.NewTempDirectory(), socketPath: path);

        Assert.Equal(0, await first.StopAsync());

        Assert.Equal(200, (await second.CreateClient().CallAsync("/discover")).Status);
        await first.WaitForOutputAsync($"Leaving {path} in place: it is no longer the socket this zeusd bound");
    }

    [Fact]
    public async Task Stop_OwnSocket_IsRemoved()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);

        Assert.Equal(0, await daemon.StopAsync());

        Assert.False(File.Exists(daemon.SocketPath!));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(daemon.SocketPath!)!, ".zeusd-bind-*"));
    }

    [Fact]
    public async Task Serve_PathTooLongForSunPath_ExitsOneNamingTheLimit()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, new string('s', 120 - dir.Length) + ".sock");

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--socket-path", path]);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: Failed to listen on {path}: the path is {path.Length} bytes long, and a Unix socket path must be " +
            "shorter than 108 bytes (sun_path), or clients cannot connect to it. Choose a shorter --socket-path.\n", stderr);
    }

    [Fact]
    public async Task Serve_ReadOnlyFileSystem_ExitsOneNamingTheDirectoryAndTheCause()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string path = Path.Combine(dir, "zeusd.sock");
        // A read-only tmpfs over the directory, private to the daemon's mount namespace (nothing to clean up).
        string[] readOnly = ["unshare", "-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o ro,size=64k tmpfs \"$0\" && exec \"$@\"", dir];

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--socket-path", path], commandPrefix: readOnly);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: Failed to listen on {path}: cannot create a file in {dir}: Read-only file system (os error 30)\n", stderr);
    }
}
