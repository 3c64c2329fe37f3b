using Zeusd.Api;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Devices.Gpu.Simulated;

namespace Zeusd.Tests.Devices.Gpu;

public sealed class PersistenceAlwaysOnGpuTests
{
    private readonly SimulatedGpu _board = new(0, TimeProvider.System);

    [Fact]
    public void GetPersistenceMode_BoardReportsOff_AlwaysTrue()
    {
        var gpu = new PersistenceAlwaysOnGpu(_board);

        Assert.False(_board.GetPersistenceMode());
        Assert.True(gpu.GetPersistenceMode());
    }

    [Fact]
    public void SetPersistenceMode_Enable_SucceedsWithoutTouchingTheBoard()
    {
        var gpu = new PersistenceAlwaysOnGpu(_board);

        gpu.SetPersistenceMode(true);

        Assert.False(_board.GetPersistenceMode());
    }

    [Fact]
    public void SetPersistenceMode_Disable_400WithPlatformText()
    {
        var gpu = new PersistenceAlwaysOnGpu(_board);

        var error = Assert.Throws<DeviceException>(() => gpu.SetPersistenceMode(false));

        Assert.Equal("Persistence mode cannot be disabled on this platform.", error.Message);
        Assert.Equal(400, HttpErrorMap.StatusOf(error.Kind));
    }

    [Fact]
    public void OtherOperations_PassThroughToTheBoard()
    {
        var gpu = new PersistenceAlwaysOnGpu(_board);

        gpu.SetPowerLimit(200_000);
        gpu.SetGpuLockedClocks(900, 1400);
        gpu.SetMemoryLockedClocks(810, 5001);

        Assert.Equal(200_000u, _board.GetPowerLimit());
        Assert.Equal(200_000u, gpu.GetPowerLimit());
        Assert.Equal(((uint)900, (uint)1400), _board.GraphicsClocks);
        Assert.Equal(((uint)810, (uint)5001), _board.MemoryClocks);
        Assert.Equal(_board.GetPowerLimitConstraints(), gpu.GetPowerLimitConstraints());
        Assert.Throws<DeviceException>(() => gpu.SetPowerLimit(1));

        gpu.ResetGpuLockedClocks();
        gpu.ResetMemoryLockedClocks();

        Assert.Null(_board.GraphicsClocks);
        Assert.Null(_board.MemoryClocks);
        Assert.True(gpu.GetTotalEnergyConsumption() > 0);
        Assert.True(gpu.GetInstantPower() > 0);
    }
}
