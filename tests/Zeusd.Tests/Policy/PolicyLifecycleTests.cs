using Zeusd.Configuration;
using Zeusd.Tests.Auth;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Policy;

/// <summary>
/// The policy's life in a running daemon: startup errors, SIGHUP with a valid and an invalid file, tokens with and
/// without a policy, and the unchanged behaviour without <c>--policy</c>. Each test runs its own simulated daemon.
/// </summary>
public sealed class PolicyLifecycleTests : IAsyncLifetime
{
    private const string ReadOnlyForNobody = """
        [[grant]]
        name = "readers"
        users = ["nobody"]
        scopes = ["gpu-read"]
        """;

    private const string ControlForNobody = """
        [[grant]]
        name = "nobody-controls"
        users = [65534]
        scopes = ["gpu-read", "gpu-control"]
        gpus = [1]
        """;

    private readonly string _dir = DaemonProcess.NewTempDirectory();
    private DaemonProcess? _daemon;

    public PolicyLifecycleTests() => File.SetUnixFileMode(_dir, (UnixFileMode)Convert.ToInt32("755", 8));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        else
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<DaemonProcess> StartAsync(params string[] args) =>
        _daemon = await DaemonProcess.StartAsync(["--simulate", .. args], directory: _dir);

    private Task<(int Status, string Body)> Post(PeerUser? user, string path, string? token = null) =>
        PeerClient.PostAsync(_daemon!.SocketPath!, user, path, token);

    [Fact]
    public async Task Sighup_ValidFile_ReplacesThePolicyAtOnce_InvalidFile_KeepsTheOld()
    {
        string policy = PolicyFiles.Write(_dir, ReadOnlyForNobody);
        var daemon = await StartAsync("--policy", policy);
        const string Write = "/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true";
        Assert.Equal(403, (await Post(PeerUser.Nobody, Write)).Status);

        PolicyFiles.Replace(policy, ControlForNobody);
        Posix.Kill(daemon.Pid, Posix.SigHup);
        await daemon.WaitForOutputAsync($"Reloaded policy {policy}: 1 grant(s)");

        Assert.Equal((200, ""), await Post(PeerUser.Nobody, Write));

        PolicyFiles.Replace(policy, ControlForNobody + "\nunknown = 1\n");
        Posix.Kill(daemon.Pid, Posix.SigHup);
        string output = await daemon.WaitForOutputAsync("Policy reload failed");

        Assert.Contains($"Policy reload failed; the previous policy stays in force: policy file '{policy}': grant 'nobody-controls': key 'unknown': unknown key", output);
        Assert.Equal((200, ""), await Post(PeerUser.Nobody, Write));
        Assert.False(daemon.Exited.IsCompleted);
    }

    [Fact]
    public async Task Audit_LogLevelWarn_NoAuditLine()
    {
        // The allowed line goes to the log sink directly, not through the framework: its filters must still decide.
        string policy = PolicyFiles.Write(_dir, ControlForNobody);
        var daemon = await StartAsync("--policy", policy, "--log-level", "warn");
        Assert.Equal((200, ""), await Post(PeerUser.Nobody, "/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true"));
        Assert.Equal(403, (await Post(PeerUser.Nobody, "/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true")).Status);

        // A warning logged after the requests: the log keeps order, so an audit line would be in the output before it.
        PolicyFiles.Replace(policy, ControlForNobody + "\nunknown = 1\n");
        Posix.Kill(daemon.Pid, Posix.SigHup);
        string output = await daemon.WaitForOutputAsync("Policy reload failed");

        Assert.DoesNotContain("GPU control by", output);
    }

    [Fact]
    public async Task Sighup_FileMadeWorldWritable_KeepsTheOld()
    {
        string policy = PolicyFiles.Write(_dir, ControlForNobody);
        var daemon = await StartAsync("--policy", policy);

        File.SetUnixFileMode(policy, PolicyFiles.Mode644 | UnixFileMode.OtherWrite);
        Posix.Kill(daemon.Pid, Posix.SigHup);

        Assert.Contains("is writable by others", await daemon.WaitForOutputAsync("Policy reload failed"));
        Assert.Equal((200, ""), await Post(PeerUser.Nobody, "/gpu/reset_locked_clocks?gpu_ids=1&block=true"));
    }

    public static TheoryData<string, string> BadPolicies => new()
    {
        { "grant", "Error: policy file '{0}': grant 'x': key 'power_limit_mw': min 2 is greater than max 1\n" },
        { "world-writable", "Error: policy file '{0}' is writable by others (mode 0646); restrict it with: chmod o-w '{0}'\n" },
        { "foreign-owner", "Error: policy file '{0}' is owned by uid 65534; it must be owned by root or by the daemon's user (uid 0)\n" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task Serve_BadPolicy_ExitsOneWithTheErrorBeforeListening(string kind, string expected)
    {
        string path = PolicyFiles.Write(_dir, kind == "grant"
            ? "[[grant]]\nname = \"x\"\nusers = [1]\nscopes = [\"gpu-control\"]\npower_limit_mw = { min = 2, max = 1 }\n"
            : ControlForNobody);
        if (kind == "world-writable")
        {
            File.SetUnixFileMode(path, PolicyFiles.Mode644 | UnixFileMode.OtherWrite);
        }
        if (kind == "foreign-owner")
        {
            Posix.Chown(path, 65534, 65534);
        }
        string socket = Path.Combine(_dir, "zeusd.sock");

        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--socket-path", socket, "--policy", path]);

        Assert.Equal(1, exit);
        Assert.Equal(string.Format(expected, path), stderr);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task WithoutPolicy_AnyPeerMayControlAndWhoamiIs404AsBefore()
    {
        await StartAsync();

        Assert.Equal((200, ""), await Post(PeerUser.Nobody, "/gpu/set_power_limit?gpu_ids=0,1,2,3&power_limit_mw=200000&block=true"));
        var whoami = await PeerClient.GetAsync(_daemon!.SocketPath!, PeerUser.Nobody, "/auth/whoami");
        Assert.Equal((404, "{\"error\":\"Authentication is not enabled on this server.\"}"), whoami);
    }

    [Fact]
    public async Task TokenGpus_WithoutPolicy_LimitControlToThoseGpus()
    {
        byte[] key = KeyFiles.NewKey();
        await StartAsync("--signing-key-path", KeyFiles.Write(_dir, key));
        string token = TokenIssuerFor(key, "ci", [ApiGroup.GpuControl, ApiGroup.GpuRead], [0, 1]);
        string unlimited = TokenIssuerFor(key, "ops", [ApiGroup.GpuControl], null);

        Assert.Equal((200, ""), await Post(PeerUser.Nobody, "/gpu/set_power_limit?gpu_ids=1,0&power_limit_mw=200000&block=true", token));
        Assert.Equal((403, "{\"error\":\"Token for user 'ci' may not control GPU 2: the token covers GPUs [0, 1]\"}"),
            await Post(PeerUser.Nobody, "/gpu/set_power_limit?gpu_ids=0,2&power_limit_mw=200000&block=true", token));
        Assert.Equal((200, ""), await Post(PeerUser.Nobody, "/gpu/reset_locked_clocks?gpu_ids=0,1,2,3&block=true", unlimited));
        var whoami = await PeerClient.GetAsync(_daemon!.SocketPath!, PeerUser.Nobody, "/auth/whoami", token);
        Assert.Equal((200, "{\"sub\":\"ci\",\"scopes\":[\"gpu-control\",\"gpu-read\"],\"gpus\":[0,1]}"), whoami);
    }

    [Fact]
    public async Task PolicyAndAuth_TokenSubjectGrantsAndTokenNarrowsNeverWidens()
    {
        byte[] key = KeyFiles.NewKey();
        string policy = PolicyFiles.Write(_dir, """
            [[grant]]
            name = "ml-team"
            groups = [2000]
            scopes = ["gpu-read", "gpu-control"]
            gpus = [0, 1]

            [[grant]]
            name = "ci"
            subjects = ["ci"]
            scopes = ["gpu-control"]
            gpus = [2, 3]
            """);
        await StartAsync("--signing-key-path", KeyFiles.Write(_dir, key), "--policy", policy);
        var member = new PeerUser("1001", "1001", "2000");
        var stranger = new PeerUser("1600", "1600");
        string ci = TokenIssuerFor(key, "ci", [ApiGroup.GpuControl], null);
        string memberOnGpu1 = TokenIssuerFor(key, "alice", [ApiGroup.GpuControl, ApiGroup.GpuRead], [1]);
        string readOnly = TokenIssuerFor(key, "alice", [ApiGroup.GpuRead], null);
        const string Gpu = "/gpu/reset_locked_clocks?block=true&gpu_ids=";

        // The subject grant: any peer holding the ci token may control GPUs 2-3, and nothing else.
        Assert.Equal((200, ""), await Post(stranger, Gpu + "2,3", ci));
        Assert.Equal((403, "{\"error\":\"Access denied by policy: uid 1600 with token subject 'ci' may not control GPU 0; its grants cover GPUs [2, 3]\"}"),
            await Post(stranger, Gpu + "0", ci));
        // The token narrows the peer's grant to GPU 1 ...
        Assert.Equal((200, ""), await Post(member, Gpu + "1", memberOnGpu1));
        Assert.Equal((403, "{\"error\":\"Token for user 'alice' may not control GPU 0: the token covers GPUs [1]\"}"),
            await Post(member, Gpu + "0", memberOnGpu1));
        // ... and a token without the scope takes gpu-control away, while the policy still gives reads.
        Assert.Equal(403, (await Post(member, Gpu + "0", readOnly)).Status);
        Assert.Equal(200, (await PeerClient.GetAsync(_daemon!.SocketPath!, member, "/gpu/get_power", readOnly)).Status);
        // A valid token is still required, and it cannot widen: the stranger's reads are not in any grant.
        Assert.Equal(401, (await Post(member, Gpu + "0")).Status);
        Assert.Equal((403, "{\"error\":\"Access denied by policy: uid 1600 with token subject 'alice' has no grant with scope 'gpu-read'\"}"),
            await PeerClient.GetAsync(_daemon!.SocketPath!, stranger, "/gpu/get_power", readOnly));

        var whoami = await PeerClient.GetAsync(_daemon!.SocketPath!, stranger, "/auth/whoami", ci);
        Assert.Equal(200, whoami.Status);
        Assert.Matches("""^\{"sub":"ci","scopes":\["gpu-control"\],"uid":1600,"gid":1600,"pid":\d+,"grants":\["ci"\],"gpus":\[2,3\]\}$""", whoami.Body);
    }

    [Fact]
    public async Task OverTcp_OnlyTheTokenIdentifiesTheCaller()
    {
        byte[] key = KeyFiles.NewKey();
        string policy = PolicyFiles.Write(_dir, """
            [[grant]]
            name = "everyone-reads"
            users = ["*"]
            scopes = ["gpu-read"]

            [[grant]]
            name = "root-by-uid"
            users = [0]
            scopes = ["gpu-control"]

            [[grant]]
            name = "ci"
            subjects = ["ci"]
            scopes = ["gpu-control"]
            gpus = [2]
            """);
        int port = DaemonProcessTcp.FreePort();
        var daemon = _daemon = await DaemonProcess.StartAsync(
            ["--simulate", "--mode", "tcp", "--tcp-bind-address", $"127.0.0.1:{port}", "--signing-key-path", KeyFiles.Write(_dir, key), "--policy", policy],
            directory: _dir, waitUntilReady: false);
        var tcp = new DaemonProcessTcp(daemon, $"127.0.0.1:{port}");
        using var client = tcp.CreateClient();
        await tcp.WaitUntilReadyAsync(client);
        string ops = TokenIssuerFor(key, "ops", [ApiGroup.GpuControl, ApiGroup.GpuRead], null);
        string ci = TokenIssuerFor(key, "ci", [ApiGroup.GpuControl], null);

        // The test runs as root, but over TCP there are no peer credentials: the uid-0 grant and root's exemption do not apply.
        var opsWrite = await Send(client, HttpMethod.Post, "/gpu/reset_locked_clocks?gpu_ids=2&block=true", ops);
        var ciWrite = await Send(client, HttpMethod.Post, "/gpu/reset_locked_clocks?gpu_ids=2&block=true", ci);
        var opsRead = await Send(client, HttpMethod.Get, "/gpu/get_power_limit?gpu_ids=0", ops);
        var whoami = await Send(client, HttpMethod.Get, "/auth/whoami", ci);

        Assert.Equal((403, "{\"error\":\"Access denied by policy: token subject 'ops' has no grant with scope 'gpu-control'\"}"), opsWrite);
        Assert.Equal((200, ""), ciWrite);
        Assert.Equal(200, opsRead.Status);
        Assert.Equal((200, "{\"sub\":\"ci\",\"scopes\":[\"gpu-control\"],\"grants\":[\"everyone-reads\",\"ci\"],\"gpus\":[2]}"), whoami);
    }

    private static async Task<(int Status, string Body)> Send(HttpClient client, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string TokenIssuerFor(byte[] key, string user, ApiGroup[] scopes, int[]? gpus) =>
        Zeusd.Auth.TokenIssuer.Create(Zeusd.Auth.SigningKey.FromBytes(key), user, scopes, null, gpus);
}
