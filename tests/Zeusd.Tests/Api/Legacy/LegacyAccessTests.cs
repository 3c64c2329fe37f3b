using Zeusd.Configuration;
using Zeusd.Tests.Auth;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Api.Legacy;

/// <summary>Legacy routes go through the same access gate as current ones, with the group each route declares.</summary>
public sealed class LegacyAccessTests(AuthDaemonFixture node) : IClassFixture<AuthDaemonFixture>
{
    private const string PowerLimitBody = "{\"power_limit_mw\":150000,\"block\":true}";

    [Fact]
    public async Task LegacyWrite_GpuControlDisabled_404GroupNotEnabledThoughThePathIsNotAPrefixOfIt()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--enable", "gpu-read,cpu-read"]);
        using var client = daemon.CreateClient();

        var (status, body, _) = await client.PostBodyAsync("/gpu/0/set_power_limit", PowerLimitBody);

        Assert.Equal((404, "{\"error\":\"API group 'gpu-control' is not enabled on this server.\"}"), (status, body));
        Assert.Equal(200, (await client.CallAsync("/cpu/0/supports_dram_energy")).Status);
    }

    [Fact]
    public async Task LegacyRoutes_AuthOnWithoutToken_401AsOldClientsSendNone()
    {
        var (status, body, response) = await node.Client.PostBodyAsync("/gpu/0/set_power_limit", PowerLimitBody);

        Assert.Equal(401, status);
        Assert.Contains("Authentication required", body);
        Assert.Equal("Bearer realm=\"zeusd\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("POST", "/gpu/1/set_power_limit", PowerLimitBody, "gpu-control")]
    [InlineData("POST", "/cpu/0/get_index_energy", "{\"cpu\":true,\"dram\":false}", "cpu-read")]
    [InlineData("GET", "/cpu/0/supports_dram_energy", null, "cpu-read")]
    public async Task LegacyRoutes_TokenWithoutTheRoutesScope_403ThenTheRightScopeServes(string method, string path, string? body, string scope)
    {
        ApiGroups.TryParse(scope, out var group);
        string wrong = node.Issue("legacy", [ApiGroup.GpuRead]);
        string right = node.Issue("legacy", [group!.Value]);

        var denied = await Send(method, path, body, wrong);
        var allowed = await Send(method, path, body, right);

        Assert.Equal(403, (int)denied.StatusCode);
        Assert.Contains($"lacks required scope '{scope}'", await denied.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)allowed.StatusCode);
    }

    private Task<HttpResponseMessage> Send(string method, string path, string? body, string token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return node.Client.SendAsync(request);
    }
}
