using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Auth;

/// <summary><c>zeusd token issue</c> run as operators run it.</summary>
public sealed class TokenIssueCommandTests : IDisposable
{
    private readonly string _dir = DaemonProcess.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Claims(string token) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1]));

    [Fact]
    public async Task Issue_ValidArguments_PrintsOnlyTheTokenAndANewline()
    {
        string key = KeyFiles.Write(_dir, KeyFiles.NewKey());
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", key, "--user", "alice", "--scope", "gpu-read,cpu-read", "--scope", "gpu-control", "--expires", "1h"]);

        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Matches(new Regex("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}\n$"), stdout);
        Assert.Equal("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9", stdout.Split('.')[0]);
        var match = Regex.Match(Claims(stdout.TrimEnd('\n')), "^\\{\"sub\":\"alice\",\"scopes\":\\[\"gpu-read\",\"cpu-read\",\"gpu-control\"\\],\"exp\":(\\d+)\\}$");
        Assert.True(match.Success, Claims(stdout.TrimEnd('\n')));
        Assert.InRange(long.Parse(match.Groups[1].Value), before + 3600, after + 3600);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("0")]
    public async Task Issue_NeverExpiring_HasNoExpAndEmptyScopesWhenNoneGiven(string expires)
    {
        string key = KeyFiles.Write(_dir, KeyFiles.NewKey());

        var (exit, stdout, _) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", key, "--user", "ci-bot", "--expires", expires]);

        Assert.Equal(0, exit);
        Assert.Equal("{\"sub\":\"ci-bot\",\"scopes\":[]}", Claims(stdout.TrimEnd('\n')));
    }

    public static TheoryData<string, string> BadKeys => new()
    {
        { "missing", "Error: Failed to read signing key from '{0}': No such file or directory (os error 2)\n" },
        { "empty", "Error: Signing key file '{0}' is empty\n" },
        { "short", "Error: Signing key file '{0}' is too short (16 bytes); an HS256 key needs at least 32 bytes. Generate one with: openssl rand -base64 32 > '{0}'\n" },
        { "mode-644", "Error: Signing key file '{0}' is readable or writable by group or others (mode 0644); restrict it with: chmod 600 '{0}'\n" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Issue_BadKeyFile_ExitsOneWithAClearErrorAndNoToken(string kind, string expected)
    {
        string path = WriteBadKey(_dir, kind);

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", path, "--user", "alice", "--scope", "gpu-read", "--expires", "1h"]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(string.Format(expected, path), stderr);
    }

    internal static string WriteBadKey(string dir, string kind) => kind switch
    {
        "missing" => Path.Combine(dir, "no-such.key"),
        "empty" => KeyFiles.Write(dir, [], name: "empty.key"),
        "short" => KeyFiles.Write(dir, Encoding.ASCII.GetBytes("sixteen-bytes!!\n"), name: "short.key"),
        "mode-644" => KeyFiles.Write(dir, KeyFiles.NewKey(),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, name: "open.key"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData("5", "time unit needed, for example 5sec or 5ms")]
    [InlineData("tomorrow", "expected number at 0")]
    [InlineData("1 fortnight", "unknown time unit \"fortnight\", supported units: ns, us/µs, ms, sec, min, hours, days, weeks, months, years (and few variations)")]
    public async Task Issue_BadDuration_ExitsOneWithTheHintAndTheCause(string expires, string cause)
    {
        string key = KeyFiles.Write(_dir, KeyFiles.NewKey());

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", key, "--user", "alice", "--expires", expires]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"Error: Invalid duration '{expires}'. Use e.g. '1h', '7d', '30d', or 'never'.\n\nCaused by:\n    {cause}\n", stderr);
    }

    [Fact]
    public async Task Issue_UnknownScope_IsAUsageError()
    {
        string key = KeyFiles.Write(_dir, KeyFiles.NewKey());

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", key, "--user", "alice", "--scope", "gpu-read,root", "--expires", "1h"]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("root", stderr);
    }

    [Fact]
    public async Task Issue_Gpus_AddsASortedDistinctGpusClaimAfterTheOriginalClaims()
    {
        string key = KeyFiles.Write(_dir, KeyFiles.NewKey());

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", key, "--user", "ci", "--scope", "gpu-control", "--gpus", "3,1", "--gpus", "1", "--expires", "never"]);

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Equal("{\"sub\":\"ci\",\"scopes\":[\"gpu-control\"],\"gpus\":[1,3]}", Claims(stdout.TrimEnd('\n')));
    }

    [Theory]
    [InlineData("0,x")]
    [InlineData("-1")]
    [InlineData("")]
    public async Task Issue_BadGpus_IsAUsageError(string gpus)
    {
        string key = KeyFiles.Write(_dir, KeyFiles.NewKey());

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", key, "--user", "ci", "--gpus", gpus, "--expires", "1h"]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("'--gpus'", stderr);
    }
}
