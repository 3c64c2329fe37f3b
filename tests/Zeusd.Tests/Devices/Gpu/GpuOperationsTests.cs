using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Tests.TestDoubles;
using Zeusd.Devices.Gpu.Simulated;

namespace Zeusd.Tests.Devices.Gpu;

public sealed class GpuOperationsTests
{
    /// <summary>A simulated board whose graphics or memory clock reset fails.</summary>
    private sealed class FailingResetGpu(IGpu inner, DeviceException? graphics, DeviceException? memory) : IGpu
    {
        public bool MemoryResetAttempted { get; private set; }
        public void SetPersistenceMode(bool enabled) => inner.SetPersistenceMode(enabled);
        public bool GetPersistenceMode() => inner.GetPersistenceMode();
        public void SetPowerLimit(uint milliwatts) => inner.SetPowerLimit(milliwatts);
        public uint GetPowerLimit() => inner.GetPowerLimit();
        public PowerLimitConstraints GetPowerLimitConstraints() => inner.GetPowerLimitConstraints();
        public void SetGpuLockedClocks(uint minMhz, uint maxMhz) => inner.SetGpuLockedClocks(minMhz, maxMhz);
        public void ResetGpuLockedClocks() { if (graphics is not null) { throw graphics; } inner.ResetGpuLockedClocks(); }
        public void SetMemoryLockedClocks(uint minMhz, uint maxMhz) => inner.SetMemoryLockedClocks(minMhz, maxMhz);
        public void ResetMemoryLockedClocks() { MemoryResetAttempted = true; if (memory is not null) { throw memory; } inner.ResetMemoryLockedClocks(); }
        public uint GetInstantPower() => inner.GetInstantPower();
        public ulong GetTotalEnergyConsumption() => inner.GetTotalEnergyConsumption();
        public void ResetLockedClocks() => GpuOperations.ResetGraphicsThenMemoryClocks(this);
    }

    [Fact]
    public void ResetGraphicsThenMemoryClocks_GraphicsResetFails_StillResetsMemoryAndReportsGraphicsError()
    {
        var sim = new SimulatedGpu(0, new ManualTimeProvider());
        sim.SetMemoryLockedClocks(1000, 2000);
        var gpu = new FailingResetGpu(sim, GpuErrors.NoPermission(), GpuErrors.NotSupported());

        var error = Assert.Throws<DeviceException>(() => GpuOperations.ResetGraphicsThenMemoryClocks(gpu));

        Assert.Equal(DeviceErrorKind.NoPermission, error.Kind);
        Assert.True(gpu.MemoryResetAttempted);
    }

    [Fact]
    public void ResetGraphicsThenMemoryClocks_OnlyMemoryFails_ReportsMemoryErrorAfterGraphicsReset()
    {
        var sim = new SimulatedGpu(0, new ManualTimeProvider());
        sim.SetGpuLockedClocks(900, 1000);
        var gpu = new FailingResetGpu(sim, null, GpuErrors.NotSupported());

        var error = Assert.Throws<DeviceException>(() => GpuOperations.ResetGraphicsThenMemoryClocks(gpu));

        Assert.Equal(DeviceErrorKind.NotSupported, error.Kind);
        Assert.Null(sim.GraphicsClocks);
    }
}
