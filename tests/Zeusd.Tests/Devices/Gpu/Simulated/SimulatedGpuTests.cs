using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Tests.TestDoubles;
using Zeusd.Devices.Gpu.Simulated;

namespace Zeusd.Tests.Devices.Gpu.Simulated;

public sealed class SimulatedGpuTests
{
    [Fact]
    public void GetTotalEnergyConsumption_TimePasses_GrowsByPowerTimesTime()
    {
        var time = new ManualTimeProvider();
        var gpu = new SimulatedGpu(0, time);
        ulong before = gpu.GetTotalEnergyConsumption();

        time.Advance(TimeSpan.FromSeconds(10));
        ulong after = gpu.GetTotalEnergyConsumption();

        // Board 0 draws about 180 W: 10 s ≈ 1.8 MJ... in millijoules, 1.8e6 mJ.
        Assert.InRange(after - before, 1_700_000UL, 1_900_000UL);
    }

    [Fact]
    public void GetInstantPower_OverTime_VariesAroundTheDrawAndStaysUnderTheLimit()
    {
        var time = new ManualTimeProvider();
        var gpu = new SimulatedGpu(1, time);
        gpu.SetPowerLimit(150_000);
        var samples = new List<uint>();
        for (int i = 0; i < 200; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(37));
            samples.Add(gpu.GetInstantPower());
        }

        Assert.True(samples.Distinct().Count() > 50, "power should vary");
        Assert.All(samples, p => Assert.InRange(p, 120_000u, 150_000u * 108 / 100));
    }

    [Fact]
    public void SetPowerLimit_LowerLimit_LowersEnergyRate()
    {
        var time = new ManualTimeProvider();
        var gpu = new SimulatedGpu(3, time);
        ulong e0 = gpu.GetTotalEnergyConsumption();
        time.Advance(TimeSpan.FromSeconds(1));
        ulong atMax = gpu.GetTotalEnergyConsumption() - e0;

        gpu.SetPowerLimit(SimulatedGpu.MinPowerLimitMw);
        ulong e1 = gpu.GetTotalEnergyConsumption();
        time.Advance(TimeSpan.FromSeconds(1));
        ulong atMin = gpu.GetTotalEnergyConsumption() - e1;

        Assert.Equal(100_000UL, atMin);
        Assert.True(atMax > atMin);
        Assert.Equal(SimulatedGpu.MinPowerLimitMw, gpu.GetPowerLimit());
    }

    [Theory]
    [InlineData(99_999u)]
    [InlineData(300_001u)]
    [InlineData(0u)]
    public void SetPowerLimit_OutsideConstraints_InvalidArgumentAndUnchanged(uint limit)
    {
        var gpu = new SimulatedGpu(0, new ManualTimeProvider());

        var error = Assert.Throws<DeviceException>(() => gpu.SetPowerLimit(limit));

        Assert.Equal(DeviceErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("NVML error: a supplied argument was invalid", error.Message);
        Assert.Equal(SimulatedGpu.MaxPowerLimitMw, gpu.GetPowerLimit());
    }

    [Fact]
    public void SetGpuLockedClocks_MinAboveMax_InvalidArgumentAndStillUnlocked()
    {
        var gpu = new SimulatedGpu(0, new ManualTimeProvider());

        Assert.Throws<DeviceException>(() => gpu.SetGpuLockedClocks(1500, 900));

        Assert.Null(gpu.GraphicsClocks);
    }

    [Fact]
    public void LockedClocksAndPersistence_SetAndReset_AreRemembered()
    {
        var gpu = new SimulatedGpu(0, new ManualTimeProvider());

        gpu.SetGpuLockedClocks(900, 1400);
        gpu.SetMemoryLockedClocks(1000, 5000);
        gpu.SetPersistenceMode(true);
        Assert.Equal((900u, 1400u), gpu.GraphicsClocks);
        Assert.Equal((1000u, 5000u), gpu.MemoryClocks);
        Assert.True(gpu.GetPersistenceMode());

        gpu.ResetLockedClocks();
        gpu.SetPersistenceMode(false);
        Assert.Null(gpu.GraphicsClocks);
        Assert.Null(gpu.MemoryClocks);
        Assert.False(gpu.GetPersistenceMode());
    }

    [Fact]
    public void GetPowerLimitConstraints_Always_ReportsTheValidatedRange()
    {
        var gpu = new SimulatedGpu(0, new ManualTimeProvider());

        Assert.Equal(new PowerLimitConstraints(100_000, 300_000), gpu.GetPowerLimitConstraints());
    }
}
