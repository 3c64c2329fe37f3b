using Zeusd.Tests.Devices.Cpu.Rapl;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Api.Legacy;

/// <summary>
/// The first API's CPU routes (Zeus 0.11–0.13's <c>ZeusdRAPLCPU</c>) on the fake RAPL tree: package 0 with DRAM,
/// package 1 (psys) without.
/// </summary>
public sealed class LegacyCpuRoutesRaplTests(RaplDaemonFixture node) : IClassFixture<RaplDaemonFixture>
{
    private HttpClient Client => node.Client;

    public static TheoryData<int, string, string, string> EnergyCases() => new()
    {
        { 0, "true", "true", $"{{\"cpu_energy_uj\":{RaplDaemonFixture.Package0Uj},\"dram_energy_uj\":{RaplDaemonFixture.Dram0Uj}}}" },
        { 0, "false", "true", $"{{\"cpu_energy_uj\":null,\"dram_energy_uj\":{RaplDaemonFixture.Dram0Uj}}}" },
        { 0, "true", "false", $"{{\"cpu_energy_uj\":{RaplDaemonFixture.Package0Uj},\"dram_energy_uj\":null}}" },
        { 1, "true", "true", $"{{\"cpu_energy_uj\":{RaplDaemonFixture.Psys1Uj},\"dram_energy_uj\":null}}" },
    };

    [Theory]
    [MemberData(nameof(EnergyCases))]
    public async Task GetIndexEnergy_AsOldClientsAsk_TheBareEnergyObject(int cpu, string wantCpu, string wantDram, string expected)
    {
        var (status, body, response) = await Client.PostBodyAsync($"/cpu/{cpu}/get_index_energy", $"{{\"cpu\": {wantCpu}, \"dram\": {wantDram}}}");

        Assert.Equal((200, expected), (status, body));
        Assert.Equal("application/json", response.ContentType());
    }

    [Theory]
    [InlineData(0, "{\"dram_available\":true}")]
    [InlineData(1, "{\"dram_available\":false}")]
    public async Task SupportsDramEnergy_EachPackage_WhatDiscoveryFound(int cpu, string expected)
    {
        var (status, body, _) = await Client.CallAsync($"/cpu/{cpu}/supports_dram_energy");

        Assert.Equal((200, expected), (status, body));
    }

    [Fact]
    public async Task SupportsDramEnergy_WithABody_BodyIgnored()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/cpu/0/supports_dram_energy") { Content = new StringContent("not json") };

        var response = await Client.SendAsync(request);

        Assert.Equal("{\"dram_available\":true}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("POST", "/cpu/2/get_index_energy", "CPU index 2 does not exist.")]
    [InlineData("GET", "/cpu/7/supports_dram_energy", "CPU index 7 does not exist.")]
    public async Task Request_UnknownPackage_400Text(string method, string path, string text)
    {
        var (status, body, response) = method == "POST"
            ? await Client.PostBodyAsync(path, "{\"cpu\":true,\"dram\":true}")
            : await Client.CallAsync(path);

        Assert.Equal((400, text), (status, body));
        Assert.Equal("text/plain; charset=utf-8", response.ContentType());
    }

    [Fact]
    public async Task GetIndexEnergy_MissingField_400JsonDeserializeError()
    {
        var (status, body, _) = await Client.PostBodyAsync("/cpu/0/get_index_energy", "{\"cpu\":true}");

        Assert.Equal((400, "Json deserialize error: missing field `dram` at line 1 column 12"), (status, body));
    }

    [Theory]
    [InlineData("GET", "/cpu/0/get_index_energy")]
    [InlineData("POST", "/cpu/0/supports_dram_energy")]
    public async Task Request_WrongMethod_404Empty(string method, string path)
    {
        var (status, body, _) = await Client.CallAsync(path, new HttpMethod(method));

        Assert.Equal((404, ""), (status, body));
    }
}
