using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Cli;

/// <summary><c>zeusd policy check FILE</c> as an admin runs it: the grants it prints, the errors and exit codes.</summary>
public sealed class PolicyCheckCommandTests : IDisposable
{
    private readonly string _dir = DaemonProcess.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Check_ValidFile_PrintsOneLinePerGrantAndExitsZero()
    {
        string path = PolicyFiles.Write(_dir, """
            [[grant]]
            name = "ml-team"
            users = ["nobody", 1001]
            groups = ["nogroup", 2000]
            scopes = ["gpu-read", "gpu-control", "cpu-read"]
            gpus = [0, 1, 2, 3]
            power_limit_mw = { min = 150000, max = 300000 }
            gpu_locked_clocks_mhz = { min = 900, max = 1980 }
            mem_locked_clocks_mhz = { min = 800, max = 1593 }
            persistence_mode = false

            [[grant]]
            name = "ci"
            subjects = ["ci"]
            scopes = ["gpu-control"]

            [[grant]]
            name = "everyone-reads"
            users = ["*"]
            scopes = ["gpu-read"]
            """);

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(["policy", "check", path]);

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Equal(
            "ml-team: who=user nobody(65534), uid 1001, group nogroup(65534), gid 2000; scopes=gpu-read,gpu-control,cpu-read; gpus=0,1,2,3; " +
            "bounds=power_limit_mw 150000..300000, gpu_locked_clocks_mhz 900..1980, mem_locked_clocks_mhz 800..1593, persistence_mode false\n" +
            "ci: who=token ci; scopes=gpu-control; gpus=all; bounds=none\n" +
            "everyone-reads: who=any caller; scopes=gpu-read\n", stdout);
    }

    [Fact]
    public async Task Check_InvalidGrant_ExitsOneNamingFileGrantAndKey()
    {
        string path = PolicyFiles.Write(_dir, """
            [[grant]]
            name = "ml-team"
            groups = ["no-such-group-zeusd"]
            scopes = ["gpu-read"]
            """);

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(["policy", "check", path]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"Error: policy file '{path}': grant 'ml-team': key 'groups': unknown group 'no-such-group-zeusd'\n", stderr);
    }

    [Fact]
    public async Task Check_MissingFile_ExitsOne()
    {
        string path = Path.Combine(_dir, "absent.toml");

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(["policy", "check", path]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"Error: cannot open policy file '{path}': ", stderr);
    }

    [Fact]
    public async Task Check_NoFileArgument_IsAUsageError()
    {
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["policy", "check"]);

        Assert.Equal(2, exit);
        Assert.Contains("Required argument missing for command: 'check'", stderr);
    }
}
