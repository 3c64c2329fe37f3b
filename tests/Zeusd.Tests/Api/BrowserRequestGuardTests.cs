using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Api;

/// <summary>
/// Over TCP, browsers are refused (cross-site requests by their Origin or Sec-Fetch-Site, DNS rebinding by the Host they
/// name), while curl-like clients and Zeus's httpx client (Host set, no Origin) are served as before.
/// </summary>
public sealed class BrowserRequestGuardTests
{
    private const string SetLimit = "/gpu/set_power_limit?gpu_ids=0&power_limit_mw=150000&block=true";
    private const string GetLimit = "/gpu/get_power_limit?gpu_ids=0";
    private const string Unchanged = "{\"0\":{\"power_limit_mw\":300000}}";

    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string url,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task Tcp_CrossSiteControlRequestFromABrowser_Is403AndChangesNothing(string header, string value)
    {
        var (daemon, tcp) = await DaemonProcessTcp.StartAsync(["--simulate"]);
        await using var _ = daemon;
        using var client = tcp.CreateClient();

        var (status, body) = await SendAsync(client, HttpMethod.Post, SetLimit, (header, value));

        Assert.Equal(403, status);
        Assert.StartsWith($"{{\"error\":\"Requests from web pages are refused ({header}: {value})", body);
        Assert.Equal(Unchanged, (await client.CallAsync(GetLimit)).Body);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:4938")]
    [InlineData("localhost.evil.example")]
    public async Task Tcp_DnsRebindingHost_Is421AndChangesNothing(string host)
    {
        var (daemon, tcp) = await DaemonProcessTcp.StartAsync(["--simulate"]);
        await using var _ = daemon;
        using var client = tcp.CreateClient();

        var (status, body) = await SendAsync(client, HttpMethod.Post, SetLimit, ("Host", host));

        Assert.Equal(421, status);
        string name = host.Split(':')[0];
        Assert.Equal($"{{\"error\":\"Host '{name}' is not served here: address zeusd by IP address, a loopback name such as localhost, " +
            "the machine's name, or a name given with --allowed-host.\"}", body);
        Assert.Equal(Unchanged, (await client.CallAsync(GetLimit)).Body);
    }

    [Theory]
    [InlineData("127.0.0.1:4938")]
    [InlineData("[::1]:4938")]
    [InlineData("10.1.2.3")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:4938")]
    [InlineData("gpu.localhost")]
    [InlineData("node1.example.org")]
    [InlineData("NODE1.example.org:4938")]
    [InlineData("other.example")]
    public async Task Tcp_ClientAddressingTheDaemonByAddressOrAllowedName_IsServed(string host)
    {
        var (daemon, tcp) = await DaemonProcessTcp.StartAsync(
            ["--simulate", "--allowed-host", "node1.example.org", "--allowed-host", "other.example"]);
        await using var _ = daemon;
        using var client = tcp.CreateClient();

        var (status, _) = await SendAsync(client, HttpMethod.Post, SetLimit, ("Host", host));

        Assert.Equal(200, status);
        Assert.Equal("{\"0\":{\"power_limit_mw\":150000}}", (await client.CallAsync(GetLimit)).Body);
    }

    [Fact]
    public async Task Tcp_TheMachinesOwnName_IsServedWithoutAllowedHost()
    {
        var (daemon, tcp) = await DaemonProcessTcp.StartAsync(["--simulate"]);
        await using var _ = daemon;
        using var client = tcp.CreateClient();

        Assert.Equal(200, (await SendAsync(client, HttpMethod.Get, "/discover", ("Host", System.Net.Dns.GetHostName()))).Status);
    }

    [Fact]
    public async Task UnixSocket_OriginAndAnyHost_AreServed()
    {
        // A browser cannot open a Unix socket, and there Host is whatever the client chose.
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        var (status, _) = await SendAsync(client, HttpMethod.Post, SetLimit, ("Host", "zeusd"), ("Origin", "https://example.org"));

        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("node1:4938")]
    [InlineData("http://node1")]
    [InlineData("")]
    public async Task Serve_AllowedHostThatIsNotAHostName_ExitsTwoNamingTheFlag(string value)
    {
        var (exit, _, stderr) = await DaemonProcess.RunToEndAsync(["serve", "--simulate", "--mode", "tcp", "--allowed-host", value]);

        Assert.Equal(2, exit);
        Assert.Contains($"Invalid value '{value}' for '--allowed-host'", stderr);
    }
}
