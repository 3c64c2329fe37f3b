using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Auth;

/// <summary>The daemon with <c>--signing-key-path</c>: startup checks, the issue → serve → whoami round trip, and logs.</summary>
public sealed class AuthDaemonTests : IDisposable
{
    private readonly string _dir = DaemonProcess.NewTempDirectory();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task<string> IssueAsync(string keyPath, string user, string scopes, string expires)
    {
        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["token", "issue", "--signing-key-path", keyPath, "--user", user, "--scope", scopes, "--expires", expires]);
        Assert.True(exit == 0, stderr);
        return stdout.TrimEnd('\n');
    }

    /// <summary>The console logger writes in the background: wait for a line rather than racing it.</summary>
    private static async Task WaitForOutputAsync(DaemonProcess daemon, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!daemon.Output.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Contains(text, daemon.Output);
    }

    [Fact]
    public async Task Serve_TokenFromTokenIssue_IsAcceptedAndWhoamiEchoesIt()
    {
        string keyPath = KeyFiles.Write(_dir, KeyFiles.NewKey());
        string token = await IssueAsync(keyPath, "alice", "gpu-read,cpu-read", "30d");
        string forever = await IssueAsync(keyPath, "ops", "gpu-control", "never");
        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate", "--signing-key-path", keyPath, "--log-level", "debug"], directory: _dir);
        using var client = daemon.CreateClient();

        var whoami = await client.CallWithTokenAsync("/auth/whoami", token);
        var read = await client.CallWithTokenAsync("/gpu/get_power?gpu_ids=0", token);
        var write = await client.CallWithTokenAsync("/gpu/set_power_limit?gpu_ids=1,0&power_limit_mw=175000&block=true", forever, HttpMethod.Post);
        var whoamiForever = await client.CallWithTokenAsync("/auth/whoami", forever);
        var discover = await client.CallAsync("/discover");

        Assert.Equal(200, whoami.Status);
        Assert.Equal("application/json", whoami.Response.ContentType());
        Assert.Matches(new Regex("^\\{\"sub\":\"alice\",\"scopes\":\\[\"gpu-read\",\"cpu-read\"\\],\"exp\":\\d{10}\\}$"), whoami.Body);
        Assert.Equal(200, read.Status);
        Assert.Equal(200, write.Status);
        Assert.Equal("{\"sub\":\"ops\",\"scopes\":[\"gpu-control\"]}", whoamiForever.Body);
        Assert.Contains("\"auth_required\":true,", discover.Body);

        await WaitForOutputAsync(daemon, "set_power_limit on GPUs");
        string log = daemon.Output;
        Assert.Contains($"JWT authentication enabled (key loaded from {keyPath})", log);
        Assert.Contains("Authenticated request user=alice path=/gpu/get_power", log);
        // The audit trail of a control request: who, which GPUs, which values.
        Assert.Matches(new Regex("info: .*user 'ops' set_power_limit on GPUs \\[0,1\\] .*power_limit_mw=175000"), log);
    }

    [Fact]
    public async Task Serve_DefaultLogLevel_LogsControlRequestsButNotEachAuthenticatedRead()
    {
        string keyPath = KeyFiles.Write(_dir, KeyFiles.NewKey());
        string token = await IssueAsync(keyPath, "carol", "gpu-control,gpu-read", "1h");
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--signing-key-path", keyPath], directory: _dir);
        using var client = daemon.CreateClient();

        Assert.Equal(200, (await client.CallWithTokenAsync("/gpu/get_power", token)).Status);
        Assert.Equal(200, (await client.CallWithTokenAsync("/gpu/reset_gpu_locked_clocks?gpu_ids=2&block=false", token, HttpMethod.Post)).Status);

        await WaitForOutputAsync(daemon, "user 'carol' reset_gpu_locked_clocks on GPUs [2]");
        Assert.DoesNotContain("Authenticated request", daemon.Output);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("short")]
    [InlineData("mode-644")]
    public async Task Serve_BadKeyFile_ExitsOneBeforeCreatingTheSocket(string kind)
    {
        string keyPath = TokenIssueCommandTests.WriteBadKey(_dir, kind);
        string socket = Path.Combine(_dir, "zeusd.sock");

        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["serve", "--simulate", "--socket-path", socket, "--signing-key-path", keyPath]);

        Assert.Equal(1, exit);
        string expected = TokenIssueCommandTests.BadKeys.Cast<object[]>().Single(row => (string)row[0] == kind)[1].ToString()!;
        Assert.Equal(string.Format(expected, keyPath), stderr);
        Assert.DoesNotContain("JWT authentication enabled", stdout);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task Serve_KeyWithTrailingNewline_UsesTheRawBytes()
    {
        // A token signed with the trimmed key must not verify: the newline is part of the key.
        byte[] key = KeyFiles.NewKey();
        string keyPath = KeyFiles.Write(_dir, key);
        string trimmedToken = TestJwt.Sign(TestJwt.Hs256Header, TestJwt.Claims(), key[..^1]);
        string rawToken = TestJwt.Sign(TestJwt.Hs256Header, TestJwt.Claims(), key);
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--signing-key-path", keyPath], directory: _dir);
        using var client = daemon.CreateClient();

        Assert.Equal("{\"error\":\"Invalid token: InvalidSignature\"}", (await client.CallWithTokenAsync("/gpu/get_power", trimmedToken)).Body);
        Assert.Equal(200, (await client.CallWithTokenAsync("/gpu/get_power", rawToken)).Status);
    }
}
