using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Cli;

public sealed class ZeusdCommandLineTests
{
    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    public async Task Run_Version_PrintsNameAndVersion(string flag)
    {
        var (exit, stdout, _) = await DaemonProcess.RunToEndAsync([flag]);

        Assert.Equal(0, exit);
        Assert.Equal("zeusd 0.5.0\n", stdout);
    }

    [Fact]
    public async Task Run_Help_ListsSubcommandsAndExitsZero()
    {
        var (exit, stdout, _) = await DaemonProcess.RunToEndAsync(["--help"]);

        Assert.Equal(0, exit);
        Assert.Contains("serve", stdout);
        Assert.Contains("token", stdout);
        Assert.Contains("policy", stdout);
    }

    [Fact]
    public async Task Run_ServeHelp_DocumentsEveryFlag()
    {
        var (exit, stdout, _) = await DaemonProcess.RunToEndAsync(["serve", "--help"]);

        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--mode", "--socket-path", "--socket-permissions", "--socket-uid", "--socket-gid",
                     "--tcp-bind-address", "--num-workers", "--gpu-power-poll-hz", "--gpu-backend", "--cpu-power-poll-hz",
                     "--enable", "--gpu-command-overrides", "--signing-key-path", "--policy", "--simulate", "--device-queue-depth", "--max-streams",
                     "--log-level" })
        {
            Assert.Contains(flag, stdout);
        }
    }

    [Fact]
    public async Task Run_ServeHelp_ShowsChoicesAsTheFlagsTakeThem()
    {
        var (exit, stdout, _) = await DaemonProcess.RunToEndAsync(["serve", "--help"]);

        Assert.Equal(0, exit);
        Assert.Contains("--mode <uds|tcp>", stdout);
        Assert.Contains("--gpu-backend <auto|nvml|amdsmi>", stdout);
        Assert.Contains("--restore <never|shutdown|client>", stdout);
        Assert.Contains("--enable <group,...>", stdout);
        foreach (var csharpName in new[] { "Uds", "NamedPipe", "AmdSmi", "Nvml|", "Never", "GpuControl" })
        {
            Assert.DoesNotContain(csharpName, stdout);
        }
    }

    [Theory]
    [InlineData("serve", "--mode", "bogus")]
    [InlineData("serve", "--gpu-power-poll-hz", "fast")]
    [InlineData("serve", "--enable", "all")]
    [InlineData("token", "issue", "--user", "alice")]
    public async Task Run_UsageError_ExitsTwoNamingTheFlag(params string[] args)
    {
        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(args.Length > 3 ? "--signing-key-path" : args[1], stderr);
    }

    [Theory]
    [InlineData("--socket-uid", "user")]
    [InlineData("--socket-gid", "group")]
    public async Task Run_SocketOwnerIdMinusOne_ExitsTwoInsteadOfLeavingTheOwnerUnchanged(string flag, string what)
    {
        string dir = DaemonProcess.NewTempDirectory();

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--socket-path", Path.Combine(dir, "s.sock"), flag, "4294967295"], timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: Invalid value '4294967295' for '{flag}': expected a {what} id from 0 to 4294967294 " +
            "(4294967295 is -1, which chown takes as \"leave unchanged\").", stderr);
        Assert.False(File.Exists(Path.Combine(dir, "s.sock")));
    }

    [Fact]
    public async Task Run_AmdSmiBackendWithoutLibrary_ExitsOneWithClearError()
    {
        string dir = DaemonProcess.NewTempDirectory();

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--gpu-backend", "amdsmi", "--enable", "gpu-read", "--socket-path", Path.Combine(dir, "s.sock")],
            new Dictionary<string, string> { ["AMDSMI_LIB_DIR"] = dir });

        Assert.Equal(1, exit);
        Assert.StartsWith("Error: Failed to load AMD SMI: no supported AMD SMI library found", stderr);
    }
}
