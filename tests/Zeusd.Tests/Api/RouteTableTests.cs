using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Api;

/// <summary>Methods are case-sensitive (RFC 9110 §9.1): only <c>POST</c> runs a control command, only <c>GET</c> reads.</summary>
public sealed class RouteTableTests
{
    private const string SetLimit = "/gpu/set_power_limit?gpu_ids=0&power_limit_mw=150000&block=true";

    private static Task<string> SendAsync(DaemonProcess daemon, string method, string target) =>
        UnixSocketHttp.SendRawAsync(daemon.SocketPath!,
            $"{method} {target} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    [Theory]
    [InlineData("post")]
    [InlineData("Post")]
    [InlineData("pOST")]
    public async Task Dispatch_ControlRouteWithLowercaseMethod_Is404AndChangesNothing(string method)
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);
        using var client = daemon.CreateClient();

        string response = await SendAsync(daemon, method, SetLimit);

        Assert.StartsWith("HTTP/1.1 404 ", response);
        Assert.Equal("{\"0\":{\"power_limit_mw\":300000}}", (await client.CallAsync("/gpu/get_power_limit?gpu_ids=0")).Body);
        // The exact method still works, so the check above is not vacuous.
        Assert.StartsWith("HTTP/1.1 200 ", await SendAsync(daemon, "POST", SetLimit));
        Assert.Equal("{\"0\":{\"power_limit_mw\":150000}}", (await client.CallAsync("/gpu/get_power_limit?gpu_ids=0")).Body);
    }

    [Fact]
    public async Task Dispatch_ReadRouteWithLowercaseGet_Is404()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate"]);

        Assert.StartsWith("HTTP/1.1 404 ", await SendAsync(daemon, "get", "/discover"));
        Assert.StartsWith("HTTP/1.1 200 ", await SendAsync(daemon, "GET", "/discover"));
    }
}
