using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Api;

public sealed class ServerRoutesTests(SimulatedDaemonFixture node) : IClassFixture<SimulatedDaemonFixture>
{
    [Fact]
    public async Task Discover_SimulatedNode_ListsFourGpusAndTwoCpusInContractShape()
    {
        var client = node.Client;

        var (status, body, response) = await client.CallAsync("/discover?ignored=1");

        Assert.Equal(200, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal(
            "{\"gpus\":[" +
            "{\"id\":0,\"name\":\"NVIDIA A40 (simulated)\",\"pci_address\":\"0000:17:00.0\",\"cumulative_energy_available\":true}," +
            "{\"id\":1,\"name\":\"NVIDIA A40 (simulated)\",\"pci_address\":\"0000:27:00.0\",\"cumulative_energy_available\":true}," +
            "{\"id\":2,\"name\":\"NVIDIA A40 (simulated)\",\"pci_address\":\"0000:37:00.0\",\"cumulative_energy_available\":true}," +
            "{\"id\":3,\"name\":\"NVIDIA A40 (simulated)\",\"pci_address\":\"0000:47:00.0\",\"cumulative_energy_available\":true}]," +
            "\"cpus\":[{\"id\":0,\"dram_available\":true},{\"id\":1,\"dram_available\":false}]," +
            "\"enabled_api_groups\":[\"gpu-control\",\"gpu-read\",\"cpu-read\"],\"auth_required\":false," +
            // What Zeus 0.14-0.15 read (daemon v0.3/v0.4 shapes).
            "\"gpu_ids\":[0,1,2,3],\"cpu_ids\":[0,1],\"dram_available\":[true,false]}",
            body);
    }

    [Fact]
    public async Task Time_Always_ReturnsDaemonUnixMilliseconds()
    {
        var client = node.Client;

        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (status, body, _) = await client.CallAsync("/time");
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(200, status);
        var match = Regex.Match(body, "^\\{\"timestamp_ms\":(\\d+)\\}$");
        Assert.True(match.Success, body);
        Assert.InRange(long.Parse(match.Groups[1].Value), before - 5, after + 5);
    }

    [Fact]
    public async Task Enable_GpuReadOnly_DiscoverShowsItAndOtherGroupsAre404Json()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--enable", "gpu-read"]);
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);
        Assert.Equal("[\"gpu-read\"]", discover.GetProperty("enabled_api_groups").GetRawText());
        Assert.Equal(4, discover.GetProperty("gpus").GetArrayLength());
        Assert.Equal(0, discover.GetProperty("cpus").GetArrayLength());

        var control = await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true");
        Assert.Equal(404, control.Status);
        Assert.Equal("{\"error\":\"API group 'gpu-control' is not enabled on this server.\"}", control.Body);

        // The group check runs before query validation.
        var cpu = await client.CallAsync("/cpu/get_power?bogus");
        Assert.Equal(404, cpu.Status);
        Assert.Equal("{\"error\":\"API group 'cpu-read' is not enabled on this server.\"}", cpu.Body);

        Assert.Equal(200, (await client.CallAsync("/gpu/get_power")).Status);
    }

    [Fact]
    public async Task Enable_RepeatedAndCommaSeparated_KeepsOrderAndDuplicatesInDiscover()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--simulate", "--enable", "cpu-read,gpu-read", "--enable", "gpu-read"]);
        using var client = daemon.CreateClient();

        var discover = Json.Parse((await client.CallAsync("/discover")).Body);

        Assert.Equal("[\"cpu-read\",\"gpu-read\",\"gpu-read\"]", discover.GetProperty("enabled_api_groups").GetRawText());
        Assert.Equal(2, discover.GetProperty("cpus").GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("GET", "/discover/")]
    [InlineData("POST", "/discover")]
    [InlineData("POST", "/gpu/get_power")]
    [InlineData("GET", "/gpu/set_power_limit?gpu_ids=0&power_limit_mw=1&block=true")]
    [InlineData("HEAD", "/time")]
    [InlineData("GET", "/gpu")]
    public async Task UnknownPathOrWrongMethod_Always_Returns404WithEmptyBody(string method, string path)
    {
        var client = node.Client;

        var (status, body, response) = await client.CallAsync(path, new HttpMethod(method));

        Assert.Equal(404, status);
        Assert.Equal("", body);
        Assert.Null(response.ContentType());
    }

    [Fact]
    public async Task AuthPath_AuthDisabled_Returns404Json()
    {
        var client = node.Client;

        var (status, body, _) = await client.CallAsync("/auth/whoami");

        Assert.Equal(404, status);
        Assert.Equal("{\"error\":\"Authentication is not enabled on this server.\"}", body);
    }
}
