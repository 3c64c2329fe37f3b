using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;
using Zeusd.Tests.Devices.Cpu.Rapl;

namespace Zeusd.Tests.Api;

/// <summary>The CPU endpoints over the Unix socket, on a daemon reading a fake RAPL tree whose counters stay put.</summary>
public sealed partial class CpuRoutesRaplTests(RaplDaemonFixture node) : IClassFixture<RaplDaemonFixture>
{
    private const string BothPackages =
        "{\"0\":{\"cpu_energy_uj\":123456789012,\"dram_energy_uj\":7654321},\"1\":{\"cpu_energy_uj\":555,\"dram_energy_uj\":null}}";

    [Fact]
    public async Task Discover_PackageWithDramAndPsysZone_ReportsTwoCpusAndDramOnlyOnTheFirst()
    {
        var (status, body, _) = await node.Client.CallAsync("/discover");

        Assert.Equal(200, status);
        Assert.Equal(
            "{\"gpus\":[],\"cpus\":[{\"id\":0,\"dram_available\":true},{\"id\":1,\"dram_available\":false}]," +
            "\"enabled_api_groups\":[\"cpu-read\"],\"auth_required\":false,\"gpu_ids\":[],\"cpu_ids\":[0,1],\"dram_available\":[true,false]}", body);
    }

    [Fact]
    public async Task GetCumulativeEnergy_AllPackages_ReturnsExactMicrojoulesAndNullForMissingDram()
    {
        var (status, body, response) = await node.Client.CallAsync("/cpu/get_cumulative_energy?cpu=true&dram=true");

        Assert.Equal(200, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal(BothPackages, body);
    }

    [Theory]
    [InlineData("cpu=true&dram=false", "{\"0\":{\"cpu_energy_uj\":123456789012,\"dram_energy_uj\":null},\"1\":{\"cpu_energy_uj\":555,\"dram_energy_uj\":null}}")]
    [InlineData("cpu=false&dram=true", "{\"0\":{\"cpu_energy_uj\":null,\"dram_energy_uj\":7654321},\"1\":{\"cpu_energy_uj\":null,\"dram_energy_uj\":null}}")]
    [InlineData("cpu=false&dram=false", "{\"0\":{\"cpu_energy_uj\":null,\"dram_energy_uj\":null},\"1\":{\"cpu_energy_uj\":null,\"dram_energy_uj\":null}}")]
    [InlineData("dram=true&cpu=true", BothPackages)]
    public async Task GetCumulativeEnergy_Flags_ReadOnlyTheRequestedCounters(string query, string expected)
    {
        var (status, body, _) = await node.Client.CallAsync("/cpu/get_cumulative_energy?" + query);

        Assert.Equal(200, status);
        Assert.Equal(expected, body);
    }

    [Theory]
    [InlineData("1", "{\"1\":{\"cpu_energy_uj\":555,\"dram_energy_uj\":null}}")]
    [InlineData("0", "{\"0\":{\"cpu_energy_uj\":123456789012,\"dram_energy_uj\":7654321}}")]
    [InlineData("1,0,1", BothPackages)]
    [InlineData("1%2C0", BothPackages)]
    [InlineData("%2B1,%200%20", BothPackages)]
    public async Task GetCumulativeEnergy_CpuIds_AreSortedAndDeduplicated(string ids, string expected)
    {
        var (status, body, _) = await node.Client.CallAsync($"/cpu/get_cumulative_energy?cpu_ids={ids}&cpu=true&dram=true");

        Assert.Equal(200, status);
        Assert.Equal(expected, body);
    }

    [Theory]
    [InlineData("5", "CPU 5 not found")]
    [InlineData("0,7,5", "CPU 5 not found")]
    [InlineData("2", "CPU 2 not found")]
    [InlineData("", "cpu_ids must contain at least one CPU index")]
    [InlineData("%20", "cpu_ids must contain at least one CPU index")]
    [InlineData("0,,1", "cpu_ids contains an empty CPU index")]
    [InlineData("0,", "cpu_ids contains an empty CPU index")]
    [InlineData("a", "Invalid CPU index: a")]
    [InlineData("0,-1", "Invalid CPU index: -1")]
    [InlineData("99999999999999999999999", "Invalid CPU index: 99999999999999999999999")]
    public async Task GetCumulativeEnergy_BadCpuIds_Are400Json(string ids, string error)
    {
        var (status, body, response) = await node.Client.CallAsync($"/cpu/get_cumulative_energy?cpu_ids={ids}&cpu=true&dram=true");

        Assert.Equal(400, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal($"{{\"error\":\"{error}\"}}", body);
    }

    [Theory]
    [InlineData("", "missing field `cpu`")]
    [InlineData("?dram=true", "missing field `cpu`")]
    [InlineData("?cpu=true", "missing field `dram`")]
    [InlineData("?cpu_ids=0&cpu=false", "missing field `dram`")]
    [InlineData("?cpu=true&dram=true&gpu_ids=0", "unknown field `gpu_ids`, expected one of `cpu_ids`, `cpu`, `dram`")]
    [InlineData("?cpu=1&dram=true", "provided string was not `true` or `false`")]
    [InlineData("?cpu=True&dram=true", "provided string was not `true` or `false`")]
    [InlineData("?cpu=true&dram=true&cpu=false", "duplicate field `cpu`")]
    public async Task GetCumulativeEnergy_BadQuery_Is400Text(string query, string message)
    {
        var (status, body, response) = await node.Client.CallAsync("/cpu/get_cumulative_energy" + query);

        Assert.Equal(400, status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType());
        Assert.Equal("Query deserialize error: " + message, body);
    }

    [Fact]
    public async Task GetPower_CountersStandStill_IsZeroWithNullDramForThePsysZone()
    {
        var (status, body, response) = await node.Client.CallAsync("/cpu/get_power");

        Assert.Equal(200, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Matches(PowerBody(), body);
        Assert.EndsWith(",\"power_mw\":{\"0\":{\"cpu_mw\":0,\"dram_mw\":0},\"1\":{\"cpu_mw\":0,\"dram_mw\":null}}}", body);
    }

    [Fact]
    public async Task GetPower_TimestampIsTakenAfterTheSamplingWindow()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (_, body, _) = await node.Client.CallAsync("/cpu/get_power?cpu_ids=1");
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var match = PowerBody().Match(body);
        Assert.True(match.Success, body);
        // The default 10 Hz gives a 100 ms window between the two reads.
        Assert.InRange(long.Parse(match.Groups[1].Value), before + 100, after + 5);
        Assert.EndsWith(",\"power_mw\":{\"1\":{\"cpu_mw\":0,\"dram_mw\":null}}}", body);
    }

    [Theory]
    [InlineData("?gpu_ids=0", 400, "Query deserialize error: unknown field `gpu_ids`, expected `cpu_ids`")]
    [InlineData("?cpu=true", 400, "Query deserialize error: unknown field `cpu`, expected `cpu_ids`")]
    [InlineData("?cpu_ids=3", 400, "{\"error\":\"CPU 3 not found\"}")]
    [InlineData("?cpu_ids=x", 400, "{\"error\":\"Invalid CPU index: x\"}")]
    public async Task GetPower_BadQuery_Is400(string query, int expectedStatus, string expectedBody)
    {
        var (status, body, _) = await node.Client.CallAsync("/cpu/get_power" + query);

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedBody, body);
    }

    [Theory]
    [InlineData("POST", "/cpu/get_power")]
    [InlineData("POST", "/cpu/get_cumulative_energy?cpu=true&dram=true")]
    [InlineData("GET", "/cpu/get_power/")]
    [InlineData("GET", "/cpu/get_index_energy")]
    public async Task CpuPaths_WrongMethodOrUnknownPath_Are404Empty(string method, string url)
    {
        var (status, body, _) = await node.Client.CallAsync(url, new HttpMethod(method));

        Assert.Equal(404, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task GpuRoutes_CpuReadOnly_AreDisabled()
    {
        var (status, body, _) = await node.Client.CallAsync("/gpu/get_power");

        Assert.Equal(404, status);
        Assert.Equal("{\"error\":\"API group 'gpu-read' is not enabled on this server.\"}", body);
    }

    [GeneratedRegex("^\\{\"timestamp_ms\":(\\d+),\"power_mw\":\\{.*\\}\\}$")]
    private static partial Regex PowerBody();
}
