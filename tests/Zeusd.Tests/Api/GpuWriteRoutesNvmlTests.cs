using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Api;

/// <summary>
/// The gpu-control endpoints of a daemon on the fake NVML: what the driver receives, in which order, and how its
/// answers reach the client. Tests share one daemon, so each sets the state it asserts and removes its faults.
/// </summary>
public sealed class GpuWriteRoutesNvmlTests(NvmlDaemonFixture node) : IClassFixture<NvmlDaemonFixture>
{
    private const string InvalidArgument = "NVML error: a supplied argument was invalid";
    private const string NoPermission = "NVML error: the current user does not have permission to perform this operation";

    private FakeNvml Nvml => node.Nvml;

    private HttpClient Client => node.Client;

    private static void AssertEmpty200((int Status, string Body, HttpResponseMessage Response) result)
    {
        Assert.Equal(200, result.Status);
        Assert.Equal("", result.Body);
        Assert.Null(result.Response.ContentType());
        Assert.Equal(0, result.Response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task SetPowerLimit_TwoGpus_EachReceivesTheLimitAndReadsItBack()
    {
        long mark = Nvml.Mark();

        AssertEmpty200(await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=2,0&power_limit_mw=215000&block=true"));

        var sets = Nvml.CallsAfter(mark).Where(c => c.Function == FakeNvml.SetPowerLimit).ToList();
        Assert.Equal([(0, "215000"), (2, "215000")], sets.Select(c => (c.Gpu!.Value, c["limit"])).Order());
        var read = await Client.CallAsync("/gpu/get_power_limit?gpu_ids=0%2C2");
        Assert.Equal("{\"0\":{\"power_limit_mw\":215000},\"2\":{\"power_limit_mw\":215000}}", read.Body);
    }

    [Fact]
    public async Task SetPowerLimit_OutsideConstraints_400InvalidArgumentPerGpuAndNothingApplied()
    {
        await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0,1&power_limit_mw=250000&block=true");

        var (status, body, response) = await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=0,1&power_limit_mw=99999&block=true");

        Assert.Equal(400, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal($"{{\"errors\":{{\"0\":\"{InvalidArgument}\",\"1\":\"{InvalidArgument}\"}}}}", body);
        var read = await Client.CallAsync("/gpu/get_power_limit?gpu_ids=0,1");
        Assert.Equal("{\"0\":{\"power_limit_mw\":250000},\"1\":{\"power_limit_mw\":250000}}", read.Body);
    }

    [Fact]
    public async Task SetPersistenceMode_OnThenOff_DriverReceivesModeAndReadsBack()
    {
        long mark = Nvml.Mark();

        AssertEmpty200(await Client.CallPostAsync("/gpu/set_persistence_mode?gpu_ids=1&enabled=true&block=true"));
        var on = await Client.CallAsync("/gpu/get_persistence_mode?gpu_ids=1");
        AssertEmpty200(await Client.CallPostAsync("/gpu/set_persistence_mode?gpu_ids=1&enabled=false&block=true"));
        var off = await Client.CallAsync("/gpu/get_persistence_mode?gpu_ids=1");

        Assert.Equal("{\"1\":{\"enabled\":true}}", on.Body);
        Assert.Equal("{\"1\":{\"enabled\":false}}", off.Body);
        var modes = Nvml.CallsAfter(mark).Where(c => c.Function == "nvmlDeviceSetPersistenceMode").Select(c => (c.Gpu, c["mode"]));
        Assert.Equal([(1, "1"), (1, "0")], modes);
    }

    [Fact]
    public async Task LockedClocks_SetAndReset_DriverReceivesEachCallInOrder()
    {
        long mark = Nvml.Mark();

        AssertEmpty200(await Client.CallPostAsync("/gpu/set_gpu_locked_clocks?gpu_ids=3&min_clock_mhz=900&max_clock_mhz=1400&block=true"));
        AssertEmpty200(await Client.CallPostAsync("/gpu/set_mem_locked_clocks?gpu_ids=3&min_clock_mhz=810&max_clock_mhz=5001&block=true"));
        AssertEmpty200(await Client.CallPostAsync("/gpu/reset_gpu_locked_clocks?gpu_ids=3&block=true"));
        AssertEmpty200(await Client.CallPostAsync("/gpu/reset_mem_locked_clocks?gpu_ids=3&block=true"));
        AssertEmpty200(await Client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=3&block=true"));

        var calls = Nvml.CallsAfter(mark).Where(c => c.Gpu == 3).Select(c => c.Line[(c.Line.IndexOf(' ') + 1)..]);
        Assert.Equal(
        [
            "nvmlDeviceSetGpuLockedClocks gpu=3 min=900 max=1400",
            "nvmlDeviceSetMemoryLockedClocks gpu=3 min=810 max=5001",
            "nvmlDeviceResetGpuLockedClocks gpu=3",
            "nvmlDeviceResetMemoryLockedClocks gpu=3",
            "nvmlDeviceResetGpuLockedClocks gpu=3",
            "nvmlDeviceResetMemoryLockedClocks gpu=3",
        ], calls);
    }

    [Theory]
    [InlineData("set_gpu_locked_clocks")]
    [InlineData("set_mem_locked_clocks")]
    public async Task SetLockedClocks_MinAboveMax_PassedToDriverWhichAnswersInvalidArgument(string endpoint)
    {
        long mark = Nvml.Mark();

        var (status, body, _) = await Client.CallPostAsync($"/gpu/{endpoint}?gpu_ids=0&min_clock_mhz=1500&max_clock_mhz=900&block=true");

        Assert.Equal(400, status);
        Assert.Equal($"{{\"errors\":{{\"0\":\"{InvalidArgument}\"}}}}", body);
        var call = Assert.Single(Nvml.CallsAfter(mark));
        Assert.Equal(("1500", "900"), (call["min"], call["max"]));
    }

    [Fact]
    public async Task ResetLockedClocks_GraphicsResetRefused_MemoryStillResetAndGraphicsErrorReported()
    {
        Nvml.SetFault(0, FakeNvml.ResetGpuLockedClocks, "no_permission");
        try
        {
            long mark = Nvml.Mark();

            var (status, body, _) = await Client.CallPostAsync("/gpu/reset_locked_clocks?gpu_ids=0&block=true");

            Assert.Equal(403, status);
            Assert.Equal($"{{\"errors\":{{\"0\":\"{NoPermission}\"}}}}", body);
            Assert.Equal([FakeNvml.ResetGpuLockedClocks, FakeNvml.ResetMemoryLockedClocks], Nvml.CallsAfter(mark).Select(c => c.Function));
        }
        finally
        {
            Nvml.ClearFault(0, FakeNvml.ResetGpuLockedClocks);
        }
    }

    [Theory]
    [InlineData("no_permission", 403, "the current user does not have permission to perform this operation")]
    [InlineData("not_supported", 400, "the requested operation is not available on the target device")]
    [InlineData("invalid_argument", 400, "a supplied argument was invalid")]
    [InlineData("unknown", 500, "an internal driver error occured")]
    [InlineData("gpu_lost", 500, "device fell off the bus or has otherwise become inacessible")]
    [InlineData("timeout", 500, "the provided timeout was reached")]
    [InlineData("uninitialized", 500, "NVML was not first initialized with `Nvml::init()`")]
    [InlineData("27", 500, "unexpected enum variant value: 27")]
    public async Task SetPowerLimit_DriverFault_StatusAndNvmlText(string fault, int expectedStatus, string text)
    {
        Nvml.SetFault(1, FakeNvml.SetPowerLimit, fault);
        try
        {
            var (status, body, response) = await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=200000&block=true");

            Assert.Equal(expectedStatus, status);
            Assert.Equal("application/json", response.ContentType());
            Assert.Equal($"{{\"errors\":{{\"1\":\"NVML error: {text}\"}}}}", body);
        }
        finally
        {
            Nvml.ClearFault(1, FakeNvml.SetPowerLimit);
        }
    }

    [Theory]
    [InlineData("not_supported", "no_permission", 403)]
    [InlineData("no_permission", "unknown", 500)]
    [InlineData("invalid_argument", "not_supported", 400)]
    [InlineData("gpu_lost", "invalid_argument", 500)]
    public async Task Write_MixedGpuFailures_AllErrorsWithWorstStatus(string fault0, string fault2, int expectedStatus)
    {
        Nvml.SetFault(0, "any", fault0);
        Nvml.SetFault(2, "any", fault2);
        try
        {
            var (status, body, _) = await Client.CallPostAsync("/gpu/reset_gpu_locked_clocks?gpu_ids=0,1,2&block=true");

            Assert.Equal(expectedStatus, status);
            var errors = Json.Parse(body).GetProperty("errors");
            Assert.Equal(["0", "2"], errors.EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("NVML error: ", errors.GetProperty("0").GetString());
            Assert.StartsWith("NVML error: ", errors.GetProperty("2").GetString());
        }
        finally
        {
            Nvml.ClearFault(0, "any");
            Nvml.ClearFault(2, "any");
        }
    }

    [Fact]
    public async Task Write_TenNonBlockingThenOneBlocking_AllElevenAppliedInArrivalOrder()
    {
        // GPU 1 holds its first command inside the driver, so the rest must wait in its queue.
        Nvml.SetFault(1, FakeNvml.SetPowerLimit, "block");
        long mark = Nvml.Mark();
        Task<(int Status, string Body, HttpResponseMessage Response)>? blocking = null;
        try
        {
            for (int i = 0; i < 10; i++)
            {
                AssertEmpty200(await Client.CallPostAsync($"/gpu/set_power_limit?gpu_ids=1&power_limit_mw={201_000 + i * 1000}&block=false"));
            }
            blocking = Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=123000&block=true");
            await Nvml.WaitForCallAsync(c => c.Sequence > mark && c.Function == FakeNvml.SetPowerLimit);
            Assert.False(blocking.IsCompleted);
        }
        finally
        {
            Nvml.ClearFault(1, FakeNvml.SetPowerLimit);
        }

        AssertEmpty200(await blocking);
        var limits = Nvml.CallsAfter(mark).Where(c => c.Function == FakeNvml.SetPowerLimit && c.Gpu == 1).Select(c => c["limit"]);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => (201_000 + i * 1000).ToString()), "123000"], limits);
        Assert.Equal("{\"1\":{\"power_limit_mw\":123000}}", (await Client.CallAsync("/gpu/get_power_limit?gpu_ids=1")).Body);
    }

    [Fact]
    public async Task Write_NonBlockingWithValueTheDriverRejects_200AndNothingApplied()
    {
        AssertEmpty200(await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=3&power_limit_mw=260000&block=true"));
        long mark = Nvml.Mark();

        AssertEmpty200(await Client.CallPostAsync("/gpu/set_power_limit?gpu_ids=3&power_limit_mw=5&block=false"));

        // The read queues behind the rejected write on GPU 3's queue, so it sees the state after it.
        var read = await Client.CallAsync("/gpu/get_power_limit?gpu_ids=3");
        Assert.Equal("{\"3\":{\"power_limit_mw\":260000}}", read.Body);
        var received = Nvml.CallsAfter(mark).First(c => c.Function == FakeNvml.SetPowerLimit);
        Assert.Equal((3, "5"), (received.Gpu, received["limit"]));
        await WaitForOutputAsync("GPU 3: non-blocking set_power_limit failed: " + InvalidArgument);
    }

    [Fact]
    public async Task Write_HungGpu_OtherGpusAndDiscoverStillAnswer()
    {
        Nvml.SetFault(2, FakeNvml.GetPowerLimit, "block");
        long mark = Nvml.Mark();
        Task<(int Status, string Body, HttpResponseMessage Response)>? hung = null;
        try
        {
            hung = Client.CallAsync("/gpu/get_power_limit?gpu_ids=2");
            await Nvml.WaitForCallAsync(c => c.Sequence > mark && c.Function == FakeNvml.GetPowerLimit && c.Gpu == 2);

            using var quick = node.Daemon.CreateClient(TimeSpan.FromSeconds(3));
            AssertEmpty200(await quick.CallPostAsync("/gpu/set_power_limit?gpu_ids=0,1,3&power_limit_mw=240000&block=true"));
            var read = await quick.CallAsync("/gpu/get_power_limit?gpu_ids=0");
            var discover = await quick.CallAsync("/discover");

            Assert.Equal("{\"0\":{\"power_limit_mw\":240000}}", read.Body);
            Assert.Equal(200, discover.Status);
            Assert.False(hung.IsCompleted);
        }
        finally
        {
            Nvml.ClearFault(2, FakeNvml.GetPowerLimit);
        }

        var released = await hung;
        Assert.Equal(200, released.Status);
        Assert.Matches("^\\{\"2\":\\{\"power_limit_mw\":\\d+\\}\\}$", released.Body);
    }

    [Theory]
    [InlineData("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=200000&block=true&x=1",
        "unknown field `x`, expected one of `gpu_ids`, `power_limit_mw`, `block`")]
    [InlineData("/gpu/reset_locked_clocks?gpu_ids=0&block=true&enabled=true", "unknown field `enabled`, expected `gpu_ids` or `block`")]
    [InlineData("/gpu/set_persistence_mode?gpu_ids=0&enabled=True&block=true", "provided string was not `true` or `false`")]
    [InlineData("/gpu/reset_gpu_locked_clocks?gpu_ids=0", "missing field `block`")]
    [InlineData("/gpu/set_gpu_locked_clocks?gpu_ids=0&min_clock_mhz=900&block=true", "missing field `max_clock_mhz`")]
    [InlineData("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=-5&block=true", "invalid digit found in string")]
    [InlineData("/gpu/set_power_limit?gpu_ids=0&power_limit_mw=4294967296&block=true", "number too large to fit in target type")]
    [InlineData("/gpu/set_mem_locked_clocks?gpu_ids=0&min_clock_mhz=&max_clock_mhz=1&block=false", "cannot parse integer from empty string")]
    [InlineData("/gpu/set_power_limit?block=true&block=false", "duplicate field `block`")]
    public async Task Write_MalformedQuery_400TextAndNothingSent(string url, string message)
    {
        long mark = Nvml.Mark();

        var (status, body, response) = await Client.CallPostAsync(url);

        Assert.Equal(400, status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType());
        Assert.Equal("Query deserialize error: " + message, body);
        Assert.Empty(Nvml.CallsAfter(mark));
    }

    [Theory]
    [InlineData("gpu_ids=", "gpu_ids must contain at least one GPU index")]
    [InlineData("gpu_ids=0,", "gpu_ids contains an empty GPU index")]
    [InlineData("gpu_ids=0,-1", "Invalid GPU index: -1")]
    public async Task Write_BadIdList_400JsonAndNothingSent(string ids, string message)
    {
        long mark = Nvml.Mark();

        var (status, body, response) = await Client.CallPostAsync($"/gpu/set_power_limit?{ids}&power_limit_mw=200000&block=true");

        Assert.Equal(400, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal("{\"error\":\"" + message + "\"}", body);
        Assert.Empty(Nvml.CallsAfter(mark));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task Write_IdOutOfRange_400TextBeforeAnyGpuRuns(string block)
    {
        long mark = Nvml.Mark();

        var (status, body, response) = await Client.CallPostAsync($"/gpu/set_power_limit?gpu_ids=1,7,5&power_limit_mw=200000&block={block}");

        Assert.Equal(400, status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType());
        Assert.Equal("GPU index 5 does not exist.", body);
        Assert.Empty(Nvml.CallsAfter(mark));
    }

    private async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!node.Daemon.Output.Contains(text))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Daemon never logged '{text}':\n{node.Daemon.Output}");
            await Task.Delay(20);
        }
    }
}
