using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Api.Legacy;

/// <summary>
/// The first API's GPU writes as Zeus 0.10–0.13 send them (JSON bodies, per-index paths) against a daemon on the fake
/// NVML: what the driver receives and the old framework's statuses and texts. Tests share one daemon and clear their faults.
/// </summary>
public sealed class LegacyGpuRoutesNvmlTests(NvmlDaemonFixture node) : IClassFixture<NvmlDaemonFixture>
{
    private FakeNvml Nvml => node.Nvml;

    private HttpClient Client => node.Client;

    private static void AssertEmpty200((int Status, string Body, HttpResponseMessage Response) result)
    {
        Assert.Equal((200, ""), (result.Status, result.Body));
        Assert.Null(result.Response.ContentType());
    }

    private static void AssertText((int Status, string Body, HttpResponseMessage Response) result, int status, string text)
    {
        Assert.Equal((status, text), (result.Status, result.Body));
        Assert.Equal("text/plain; charset=utf-8", result.Response.ContentType());
    }

    [Theory]
    [InlineData("set_power_limit", "{\"power_limit_mw\": 175000, \"block\": true}", "nvmlDeviceSetPowerManagementLimit", "limit=175000")]
    [InlineData("set_persistence_mode", "{\"enabled\": true, \"block\": true}", "nvmlDeviceSetPersistenceMode", "mode=1")]
    [InlineData("set_gpu_locked_clocks", "{\"min_clock_mhz\": 900, \"max_clock_mhz\": 1400, \"block\": true}", "nvmlDeviceSetGpuLockedClocks", "min=900")]
    [InlineData("set_mem_locked_clocks", "{\"min_clock_mhz\": 810, \"max_clock_mhz\": 5001, \"block\": true}", "nvmlDeviceSetMemoryLockedClocks", "max=5001")]
    [InlineData("reset_gpu_locked_clocks", "{\"block\": true}", "nvmlDeviceResetGpuLockedClocks", null)]
    [InlineData("reset_mem_locked_clocks", "{\"block\": true}", "nvmlDeviceResetMemoryLockedClocks", null)]
    public async Task Post_EachWrite_ReachesNvmlOnTheIndexedGpu(string route, string body, string function, string? argument)
    {
        long mark = Nvml.Mark();

        AssertEmpty200(await Client.PostBodyAsync($"/gpu/2/{route}", body));

        var call = Assert.Single(Nvml.CallsAfter(mark), c => c.Function == function);
        Assert.Equal(2, call.Gpu);
        if (argument is not null)
        {
            var (key, value) = (argument.Split('=')[0], argument.Split('=')[1]);
            Assert.Equal(value, call[key]);
        }
    }

    [Fact]
    public async Task SetPowerLimit_NonBlocking_Answers200AtOnceAndStillReachesNvml()
    {
        long mark = Nvml.Mark();

        AssertEmpty200(await Client.PostBodyAsync("/gpu/1/set_power_limit", "{\"power_limit_mw\":160000,\"block\":false}"));

        var call = await Nvml.WaitForCallAsync(c => c.Sequence > mark && c.Function == FakeNvml.SetPowerLimit);
        Assert.Equal((1, "160000"), (call.Gpu!.Value, call["limit"]));
    }

    [Fact]
    public async Task SetPowerLimit_InterleavedWithTheCurrentApi_OneFifoPerGpu()
    {
        long mark = Nvml.Mark();

        await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=150001&block=false");
        await Client.PostBodyAsync("/gpu/0/set_power_limit", "{\"power_limit_mw\":150002,\"block\":false}");
        await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=150003&block=false");
        AssertEmpty200(await Client.PostBodyAsync("/gpu/0/set_power_limit", "{\"power_limit_mw\":150004,\"block\":true}"));

        var limits = Nvml.CallsAfter(mark).Where(c => c.Function == FakeNvml.SetPowerLimit && c.Gpu == 0).Select(c => c["limit"]);
        Assert.Equal(["150001", "150002", "150003", "150004"], limits);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SetPowerLimit_UnknownGpu_400TextWhetherBlockingOrNot(bool block)
    {
        long mark = Nvml.Mark();

        var result = await Client.PostBodyAsync("/gpu/4/set_power_limit", $"{{\"power_limit_mw\":150000,\"block\":{(block ? "true" : "false")}}}");

        AssertText(result, 400, "GPU index 4 does not exist.");
        Assert.DoesNotContain(Nvml.CallsAfter(mark), c => c.Function == FakeNvml.SetPowerLimit);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("18446744073709551616")]
    public async Task Post_IndexNotAnInteger_404TextAsTheOldFramework(string segment)
    {
        var result = await Client.PostBodyAsync($"/gpu/{segment}/set_power_limit", "{\"power_limit_mw\":150000,\"block\":true}");

        AssertText(result, 404, $"can not parse \"{segment}\" to a u64");
    }

    [Fact]
    public async Task Post_IndexWithPlus_IsTheIndexAsRustParsesIt()
    {
        AssertEmpty200(await Client.PostBodyAsync("/gpu/+1/reset_gpu_locked_clocks", "{\"block\":true}"));
    }

    [Fact]
    public async Task Post_BadPathAndBadBody_ThePathErrorWins()
    {
        AssertText(await Client.PostBodyAsync("/gpu/x/set_power_limit", "{", contentType: null), 404, "can not parse \"x\" to a u64");
    }

    [Fact]
    public async Task Post_UnknownGpuAndBadBody_TheBodyErrorWins()
    {
        AssertText(await Client.PostBodyAsync("/gpu/9/set_power_limit", "{\"block\":true}"), 400,
            "Json deserialize error: missing field `power_limit_mw` at line 1 column 14");
    }

    [Theory]
    [InlineData("{\"power_limit_mw\":150000}", "missing field `block` at line 1 column 25")]
    [InlineData("{\"power_limit_mw\":\"150000\",\"block\":true}", "invalid type: string \"150000\", expected u32 at line 1 column 26")]
    [InlineData("{\"power_limit_mw\":-1,\"block\":true}", "invalid value: integer `-1`, expected u32 at line 1 column 20")]
    [InlineData("{\"power_limit_mw\":4294967296,\"block\":true}", "invalid value: integer `4294967296`, expected u32 at line 1 column 28")]
    [InlineData("{\"power_limit_mw\":150000.5,\"block\":true}", "invalid type: floating point `150000.5`, expected u32 at line 1 column 26")]
    [InlineData("{\"power_limit_mw\":150000,\"block\":1}", "invalid type: integer `1`, expected a boolean at line 1 column 34")]
    [InlineData("{\"power_limit_mw\":150000,\"block\":\"true\"}", "invalid type: string \"true\", expected a boolean at line 1 column 39")]
    [InlineData("{\"power_limit_mw\":150000,\"block\":null}", "invalid type: null, expected a boolean at line 1 column 37")]
    [InlineData("{\"block\":true,\"block\":true,\"power_limit_mw\":1}", "duplicate field `block` at line 1 column 21")]
    [InlineData("", "EOF while parsing a value at line 1 column 0")]
    [InlineData("150000", "invalid type: integer `150000`, expected struct SetPowerLimit at line 1 column 6")]
    [InlineData("{\"power_limit_mw\":150000,\"block\":true} x", "trailing characters at line 1 column 40")]
    public async Task SetPowerLimit_MalformedBody_400JsonDeserializeErrorAndNothingApplied(string body, string error)
    {
        long mark = Nvml.Mark();

        AssertText(await Client.PostBodyAsync("/gpu/0/set_power_limit", body), 400, "Json deserialize error: " + error);

        Assert.DoesNotContain(Nvml.CallsAfter(mark), c => c.Function == FakeNvml.SetPowerLimit);
    }

    [Fact]
    public async Task SetPowerLimit_UnknownFieldsInBody_Ignored()
    {
        long mark = Nvml.Mark();

        AssertEmpty200(await Client.PostBodyAsync("/gpu/1/set_power_limit", "{\"power_limit_mw\":170000,\"x\":[1,{\"y\":2}],\"block\":true}"));

        Assert.Contains(Nvml.CallsAfter(mark), c => c.Function == FakeNvml.SetPowerLimit && c["limit"] == "170000");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("json")]
    public async Task SetPowerLimit_NotJsonContentType_400ContentTypeErrorAndConnectionClose(string? contentType)
    {
        var result = await Client.PostBodyAsync("/gpu/0/set_power_limit", "{\"power_limit_mw\":150000,\"block\":true}", contentType);

        AssertText(result, 400, "Content type error");
        Assert.True(result.Response.Headers.ConnectionClose);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("text/json")]
    [InlineData("application/vnd.zeus+json")]
    public async Task SetPowerLimit_OtherJsonContentTypes_Accepted(string contentType)
    {
        AssertEmpty200(await Client.PostBodyAsync("/gpu/0/set_power_limit", "{\"power_limit_mw\":150000,\"block\":true}", contentType));
    }

    [Fact]
    public async Task SetPowerLimit_BodyOverTwoMebibytes_413WithTheLimitAndConnectionClose()
    {
        string body = "{\"power_limit_mw\":150000,\"block\":true,\"pad\":\"" + new string('x', 2_100_000) + "\"}";

        var result = await Client.PostBodyAsync("/gpu/0/set_power_limit", body);

        AssertText(result, 413, $"JSON payload ({body.Length} bytes) is larger than allowed (limit: 2097152 bytes).");
        Assert.True(result.Response.Headers.ConnectionClose);
    }

    [Fact]
    public async Task SetPowerLimit_ChunkedBodyOverTwoMebibytes_413Overflow()
    {
        string pad = new('x', 2_100_000);
        string request = "POST /gpu/0/set_power_limit HTTP/1.1\r\nHost: zeusd\r\nContent-Type: application/json\r\n"
            + $"Transfer-Encoding: chunked\r\n\r\n{pad.Length:x}\r\n{pad}\r\n0\r\n\r\n";

        string response = await UnixSocketHttp.SendRawAsync(node.Daemon.SocketPath!, request);

        Assert.StartsWith("HTTP/1.1 413 ", response);
        Assert.Contains("Connection: close", response);
        Assert.EndsWith("JSON payload has exceeded limit (2097152 bytes).", response);
    }

    [Theory]
    [InlineData("no_permission", 403, "NVML error: the current user does not have permission to perform this operation")]
    [InlineData("invalid_argument", 400, "NVML error: a supplied argument was invalid")]
    [InlineData("not_supported", 400, "NVML error: the requested operation is not available on the target device")]
    [InlineData("unknown", 500, "NVML error: an internal driver error occured")]
    public async Task SetPowerLimit_NvmlRefuses_SingleGpuTextBody(string fault, int status, string text)
    {
        Nvml.SetFault(3, FakeNvml.SetPowerLimit, fault);
        try
        {
            AssertText(await Client.PostBodyAsync("/gpu/3/set_power_limit", "{\"power_limit_mw\":150000,\"block\":true}"), status, text);
        }
        finally
        {
            Nvml.ClearFault(3, FakeNvml.SetPowerLimit);
        }
    }

    [Fact]
    public async Task SetPowerLimit_NvmlRefusesANonBlockingWrite_Still200()
    {
        Nvml.SetFault(3, FakeNvml.SetPowerLimit, "no_permission");
        try
        {
            long mark = Nvml.Mark();
            AssertEmpty200(await Client.PostBodyAsync("/gpu/3/set_power_limit", "{\"power_limit_mw\":150000,\"block\":false}"));
            await Nvml.WaitForCallAsync(c => c.Sequence > mark && c.Function == FakeNvml.SetPowerLimit);
        }
        finally
        {
            Nvml.ClearFault(3, FakeNvml.SetPowerLimit);
        }
    }

    [Theory]
    [InlineData("GET", "/gpu/0/set_power_limit")]
    [InlineData("POST", "/gpu/0/set_power_limit/")]
    [InlineData("POST", "/gpu//set_power_limit")]
    [InlineData("POST", "/gpu/0/reset_locked_clocks")]
    [InlineData("POST", "/gpu/0/1/set_power_limit")]
    public async Task Request_NotALegacyRoute_404Empty(string method, string path)
    {
        var (status, body, _) = await Client.CallAsync(path, new HttpMethod(method));

        Assert.Equal((404, ""), (status, body));
    }
}
