using System.Diagnostics;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Auth;

/// <summary>
/// <c>zeusd serve --signing-key-path</c> against keys another user could have written or swapped: the daemon must
/// refuse them (anyone who controls the key mints <c>gpu-control</c> tokens), and a FIFO must not hang startup.
/// </summary>
public sealed class SigningKeyDaemonTests
{
    private static async Task<(int Exit, string Stderr)> ServeWithKeyAsync(string keyPath, string[]? prefix = null, string enable = "gpu-read")
    {
        string socketDir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(socketDir, (UnixFileMode)Convert.ToInt32("1777", 8));
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--enable", enable, "--signing-key-path", keyPath, "--socket-path", Path.Combine(socketDir, "zeusd.sock")],
            commandPrefix: prefix, timeout: TimeSpan.FromSeconds(20));
        return (exit, stderr);
    }

    [Fact]
    public async Task Serve_KeyOwnedByAnotherUser_ExitsOneNamingTheOwner()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string key = KeyFiles.Write(dir, KeyFiles.NewKey());
        Posix.Chown(key, 1000, 1000);

        var (exit, stderr) = await ServeWithKeyAsync(key);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: Signing key file '{key}' is owned by uid 1000, not by root or zeusd's user (uid 0); " +
            $"that user could replace the key and mint tokens. Fix with: chown 0 '{key}'\n", stderr);
    }

    [Theory]
    [InlineData("777")]
    [InlineData("770")]
    public async Task Serve_KeyInADirectoryOthersCanWrite_ExitsOneNamingTheDirectory(string mode)
    {
        string dir = DaemonProcess.NewTempDirectory();
        string key = KeyFiles.Write(dir, KeyFiles.NewKey());
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32(mode, 8));

        var (exit, stderr) = await ServeWithKeyAsync(key);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: The directory {dir} that holds the signing key {key} is writable by group or others without the " +
            $"sticky bit (mode 0{mode}); they could replace the signing key {key}. Restrict it with: chmod go-w '{dir}'\n", stderr);
    }

    [Fact]
    public async Task Serve_SymlinkToAKeyInAnotherUsersDirectory_ChecksTheRealDirectory()
    {
        string attackerDir = DaemonProcess.NewTempDirectory();
        string real = KeyFiles.Write(attackerDir, KeyFiles.NewKey());
        Posix.Chown(attackerDir, 1000, 1000);
        string link = Path.Combine(DaemonProcess.NewTempDirectory(), "zeusd.key");
        File.CreateSymbolicLink(link, real);

        var (exit, stderr) = await ServeWithKeyAsync(link);

        Assert.Equal(1, exit);
        Assert.StartsWith($"Error: The directory {attackerDir} that holds the signing key {link} is owned by uid 1000", stderr);
    }

    [Fact]
    public async Task Serve_KeyIsAFifo_ExitsOneAtOnceInsteadOfHanging()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string fifo = Path.Combine(dir, "zeusd.key");
        using (var mkfifo = Process.Start("mkfifo", ["-m", "600", fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }
        var started = Stopwatch.StartNew();

        var (exit, stderr) = await ServeWithKeyAsync(fifo);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: Signing key file '{fifo}' is not a regular file (a FIFO, socket or device); give the path of the file that holds the key\n", stderr);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Serve_KeyOwnedByTheDaemonsOwnUser_Starts()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        string key = KeyFiles.Write(dir, KeyFiles.NewKey());
        Posix.Chown(key, 65534, 65534);
        string socketDir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(socketDir, (UnixFileMode)Convert.ToInt32("1777", 8));

        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate", "--signing-key-path", key], directory: socketDir, commandPrefix: Unprivileged.Prefix);

        Assert.Equal(401, (await daemon.CreateClient().CallAsync("/gpu/get_power")).Status);
    }

    [Fact]
    public async Task TokenIssue_KeyOwnedByAnotherUser_IsRefusedToo()
    {
        string dir = DaemonProcess.NewTempDirectory();
        string key = KeyFiles.Write(dir, KeyFiles.NewKey());
        Posix.Chown(key, 1000, 1000);

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", key, "--user", "mallory", "--scope", "gpu-control", "--expires", "1h"]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("is owned by uid 1000, not by root or zeusd's user", stderr);
    }
}
