using System.Diagnostics;
using System.Text.RegularExpressions;
using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Api;

/// <summary>The gpu-read endpoints of a daemon on the fake NVML (four GPUs, GPU 3 without an energy counter).</summary>
public sealed class GpuReadRoutesNvmlTests(NvmlDaemonFixture node) : IClassFixture<NvmlDaemonFixture>
{
    private const string NotSupported = "NVML error: the requested operation is not available on the target device";
    private const string GpuLost = "NVML error: device fell off the bus or has otherwise become inacessible";

    private FakeNvml Nvml => node.Nvml;

    private HttpClient Client => node.Client;

    [Fact]
    public async Task Discover_FakeNvml_NamesPciAddressesAndEnergyAvailabilityFromNvml()
    {
        var (status, body, response) = await Client.CallAsync("/discover");

        Assert.Equal(200, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal(
            "{\"gpus\":[" +
            "{\"id\":0,\"name\":\"NVIDIA A40\",\"pci_address\":\"0000:17:00.0\",\"cumulative_energy_available\":true}," +
            "{\"id\":1,\"name\":\"NVIDIA A40\",\"pci_address\":\"0000:b3:1f.0\",\"cumulative_energy_available\":true}," +
            "{\"id\":2,\"name\":\"NVIDIA H100 80GB HBM3\",\"pci_address\":\"0001:ca:00.0\",\"cumulative_energy_available\":true}," +
            "{\"id\":3,\"name\":\"Tesla P100-PCIE-16GB\",\"pci_address\":\"10000:3b:02.0\",\"cumulative_energy_available\":false}]," +
            "\"cpus\":[],\"enabled_api_groups\":[\"gpu-control\",\"gpu-read\"],\"auth_required\":false," +
            "\"gpu_ids\":[0,1,2,3],\"cpu_ids\":[],\"dram_available\":[]}",
            body);
    }

    [Fact]
    public async Task GetPower_AllGpus_InstantPowerField186PerGpuThenTimestamp()
    {
        ulong[] power = [75_000, 120_000, 310_000, 45_000];
        for (int i = 0; i < power.Length; i++)
        {
            Nvml.SetPower(i, power[i]);
        }
        try
        {
            long mark = Nvml.Mark();
            long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var (status, body, response) = await Client.CallAsync("/gpu/get_power");
            long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            Assert.Equal(200, status);
            Assert.Equal("application/json", response.ContentType());
            var match = Regex.Match(body, "^\\{\"timestamp_ms\":(\\d+),\"power_mw\":\\{\"0\":75000,\"1\":120000,\"2\":310000,\"3\":45000\\}\\}$");
            Assert.True(match.Success, body);
            Assert.InRange(long.Parse(match.Groups[1].Value), before, after);
            var reads = Nvml.CallsAfter(mark).Where(c => c.Function == FakeNvml.GetFieldValues).ToList();
            Assert.Equal([0, 1, 2, 3], reads.Select(c => c.Gpu!.Value).Order());
            Assert.All(reads, c => Assert.Equal(("1", "186:0"), (c["count"], c["fields"])));
        }
        finally
        {
            for (int i = 0; i < power.Length; i++)
            {
                Nvml.ClearPower(i);
            }
        }
    }

    [Fact]
    public async Task GetPower_NoFixedReading_BelievableAndVarying()
    {
        var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=0,1");

        Assert.Equal(200, status);
        var power = Json.Parse(body).GetProperty("power_mw");
        Assert.InRange(power.GetProperty("0").GetUInt32(), 40_000u, 300_000u);
        Assert.InRange(power.GetProperty("1").GetUInt32(), 40_000u, 300_000u);
    }

    [Theory]
    [InlineData(1, 75_000ul, 200, "75000")]
    [InlineData(2, 0x1_0000_0000ul + 120_000, 200, "120000")]
    [InlineData(3, 0x5_0000_0000ul + 310_000, 200, "310000")]
    [InlineData(0, 75_000ul, 400, null)]
    [InlineData(4, 75_000ul, 400, null)]
    [InlineData(5, 75_000ul, 400, null)]
    public async Task GetPower_FieldValueType_UnsignedTruncatedElseInvalidArgument(int valueType, ulong raw, int expectedStatus, string? expectedMw)
    {
        Nvml.SetPower(1, raw, valueType);
        try
        {
            var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=1");

            Assert.Equal(expectedStatus, status);
            if (expectedMw is null)
            {
                Assert.Equal("{\"errors\":{\"1\":\"NVML error: a supplied argument was invalid\"}}", body);
            }
            else
            {
                Assert.Matches("^\\{\"timestamp_ms\":\\d+,\"power_mw\":\\{\"1\":" + expectedMw + "\\}\\}$", body);
            }
        }
        finally
        {
            Nvml.ClearPower(1);
        }
    }

    [Fact]
    public async Task GetPower_PerFieldError_ThatErrorForThatGpu()
    {
        Nvml.SetFieldFault(2, "gpu_lost");
        try
        {
            var (status, body, _) = await Client.CallAsync("/gpu/get_power?gpu_ids=0,2");

            Assert.Equal(500, status);
            Assert.Equal("{\"errors\":{\"2\":\"" + GpuLost + "\"}}", body);
        }
        finally
        {
            Nvml.ClearFieldFault(2);
        }
    }

    [Fact]
    public async Task GetCumulativeEnergy_FixedCounters_MillijoulesPerGpuAscending()
    {
        Nvml.SetEnergy(0, 123_456);
        Nvml.SetEnergy(2, 98_765_432_109);
        try
        {
            var (status, body, response) = await Client.CallAsync("/gpu/get_cumulative_energy?gpu_ids=2%2C0");

            Assert.Equal(200, status);
            Assert.Equal("application/json", response.ContentType());
            Assert.Equal("{\"0\":{\"energy_mj\":123456},\"2\":{\"energy_mj\":98765432109}}", body);
        }
        finally
        {
            Nvml.ClearEnergy(0);
            Nvml.ClearEnergy(2);
        }
    }

    [Fact]
    public async Task GetCumulativeEnergy_TwoReads_GrowsWithTheBoardsPower()
    {
        var clock = Stopwatch.StartNew();
        var first = await Client.CallAsync("/gpu/get_cumulative_energy?gpu_ids=1");
        var firstDone = clock.Elapsed;
        await Task.Delay(150); // real board time must pass for the fake's counter to grow
        var secondSent = clock.Elapsed;
        var second = await Client.CallAsync("/gpu/get_cumulative_energy?gpu_ids=1");
        var secondDone = clock.Elapsed;

        ulong e1 = Json.Parse(first.Body).GetProperty("1").GetProperty("energy_mj").GetUInt64();
        ulong e2 = Json.Parse(second.Body).GetProperty("1").GetProperty("energy_mj").GetUInt64();
        // The fake's draw stays within 40-300 W; the two reads happened between these bounds.
        double minSeconds = (secondSent - firstDone).TotalSeconds;
        double maxSeconds = secondDone.TotalSeconds;
        Assert.InRange((double)(e2 - e1), 40_000 * minSeconds - 1, 300_000 * maxSeconds);
        Assert.True(e2 > e1);
    }

    [Fact]
    public async Task GetCumulativeEnergy_PreVoltaGpu_400NotSupported()
    {
        var (status, body, response) = await Client.CallAsync("/gpu/get_cumulative_energy");

        Assert.Equal(400, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal("{\"errors\":{\"3\":\"" + NotSupported + "\"}}", body);
    }

    [Fact]
    public async Task GetPowerLimitConstraints_AllGpus_NvmlRange()
    {
        var (status, body, _) = await Client.CallAsync("/gpu/get_power_limit_constraints");

        Assert.Equal(200, status);
        const string range = "{\"min_power_limit_mw\":100000,\"max_power_limit_mw\":300000}";
        Assert.Equal($"{{\"0\":{range},\"1\":{range},\"2\":{range},\"3\":{range}}}", body);
    }

    [Fact]
    public async Task GetPowerLimit_Untouched_DefaultLimitOfEachGpu()
    {
        var (status, body, _) = await Client.CallAsync("/gpu/get_power_limit?gpu_ids=3,1");

        Assert.Equal(200, status);
        Assert.Equal("{\"1\":{\"power_limit_mw\":300000},\"3\":{\"power_limit_mw\":300000}}", body);
    }

    [Fact]
    public async Task GetPersistenceMode_Untouched_OffOnEveryGpu()
    {
        var (status, body, _) = await Client.CallAsync("/gpu/get_persistence_mode");

        Assert.Equal(200, status);
        Assert.Equal("{\"0\":{\"enabled\":false},\"1\":{\"enabled\":false},\"2\":{\"enabled\":false},\"3\":{\"enabled\":false}}", body);
    }

    [Theory]
    [InlineData("/gpu/get_power?gpu_id=0", "unknown field `gpu_id`, expected `gpu_ids`")]
    [InlineData("/gpu/get_power_limit?gpu_ids=0&gpu_ids=1", "duplicate field `gpu_ids`")]
    [InlineData("/gpu/get_cumulative_energy?block=true", "unknown field `block`, expected `gpu_ids`")]
    public async Task Read_MalformedQuery_400TextQueryDeserializeError(string url, string message)
    {
        long mark = Nvml.Mark();

        var (status, body, response) = await Client.CallAsync(url);

        Assert.Equal(400, status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType());
        Assert.Equal("Query deserialize error: " + message, body);
        Assert.Empty(Nvml.CallsAfter(mark));
    }

    [Theory]
    [InlineData("/gpu/get_power?gpu_ids=", "gpu_ids must contain at least one GPU index")]
    [InlineData("/gpu/get_power_limit?gpu_ids=0,,1", "gpu_ids contains an empty GPU index")]
    [InlineData("/gpu/get_persistence_mode?gpu_ids=0,x", "Invalid GPU index: x")]
    [InlineData("/gpu/get_power_limit_constraints?gpu_ids=9,4", "GPU 4 not found")]
    [InlineData("/gpu/get_cumulative_energy?gpu_ids=1%2C7", "GPU 7 not found")]
    public async Task Read_BadIdList_400Json(string url, string message)
    {
        long mark = Nvml.Mark();

        var (status, body, response) = await Client.CallAsync(url);

        Assert.Equal(400, status);
        Assert.Equal("application/json", response.ContentType());
        Assert.Equal("{\"error\":\"" + message + "\"}", body);
        Assert.Empty(Nvml.CallsAfter(mark));
    }

    [Fact]
    public async Task Read_GpuFellOffTheBus_500ForThatGpuWhileOthersAnswer()
    {
        Nvml.SetFault(2, "any", "gpu_lost");
        try
        {
            var all = await Client.CallAsync("/gpu/get_power_limit");
            var others = await Client.CallAsync("/gpu/get_power_limit?gpu_ids=0,1,3");
            var discover = await Client.CallAsync("/discover");

            Assert.Equal(500, all.Status);
            Assert.Equal("{\"errors\":{\"2\":\"" + GpuLost + "\"}}", all.Body);
            Assert.Equal(200, others.Status);
            Assert.Equal("{\"0\":{\"power_limit_mw\":300000},\"1\":{\"power_limit_mw\":300000},\"3\":{\"power_limit_mw\":300000}}", others.Body);
            Assert.Equal(200, discover.Status);
        }
        finally
        {
            Nvml.ClearFault(2, "any");
        }
    }
}
