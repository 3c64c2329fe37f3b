using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Devices.Gpu.Simulated;
using Zeusd.GpuWrites;
using Zeusd.Overrides;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Overrides;

/// <summary>The decorator over the simulated backend: overridden writes never reach the device, the rest do.</summary>
public sealed class CommandOverrideGpuTests : IDisposable
{
    private readonly OverrideWorkspace _workspace = new();
    private readonly SimulatedGpu _device = new(1, TimeProvider.System);

    public void Dispose() => _workspace.Dispose();

    private IGpu Decorate(string toml) =>
        GpuCommandOverrides.Parse(toml, "test.toml", NullLoggerFactory.Instance).Decorate(1, _device);

    private string Table(GpuWriteOperation operation, string args) =>
        $"[{operation.WireName()}]\ncommands = [{OverrideWorkspace.Toml(_workspace.Recorder + " " + args)}]\n";

    [Fact]
    public void SetPowerLimit_Overridden_RunsTheCommandInsteadOfTheDevice()
    {
        uint before = _device.GetPowerLimit();
        var gpu = Decorate(Table(GpuWriteOperation.SetPowerLimit, "{gpu_id} {power_limit_mw} {power_limit_w}"));

        gpu.SetPowerLimit(150_500);

        Assert.Equal(["record [1] [150500] [150]"], _workspace.Calls());
        Assert.Equal(before, gpu.GetPowerLimit());
    }

    [Fact]
    public void EveryOperation_Overridden_GetsItsPlaceholders()
    {
        var gpu = Decorate(string.Concat(
            Table(GpuWriteOperation.SetPersistenceMode, "pm {gpu_id} {enabled}"),
            Table(GpuWriteOperation.SetPowerLimit, "pl {gpu_id} {power_limit_mw} {power_limit_w}"),
            Table(GpuWriteOperation.SetGpuLockedClocks, "gc {gpu_id} {min_clock_mhz} {max_clock_mhz}"),
            Table(GpuWriteOperation.ResetGpuLockedClocks, "rgc {gpu_id}"),
            Table(GpuWriteOperation.SetMemLockedClocks, "mc {gpu_id} {min_clock_mhz} {max_clock_mhz}"),
            Table(GpuWriteOperation.ResetMemLockedClocks, "rmc {gpu_id}"),
            Table(GpuWriteOperation.ResetLockedClocks, "rlc {gpu_id}")));

        gpu.SetPersistenceMode(true);
        gpu.SetPersistenceMode(false);
        gpu.SetPowerLimit(999);
        gpu.SetGpuLockedClocks(900, 1400);
        gpu.ResetGpuLockedClocks();
        gpu.SetMemoryLockedClocks(5001, 7000);
        gpu.ResetMemoryLockedClocks();
        gpu.ResetLockedClocks();

        Assert.Equal(
            ["record [pm] [1] [1]", "record [pm] [1] [0]", "record [pl] [1] [999] [0]", "record [gc] [1] [900] [1400]", "record [rgc] [1]",
             "record [mc] [1] [5001] [7000]", "record [rmc] [1]", "record [rlc] [1]"],
            _workspace.Calls());
    }

    [Fact]
    public void ResetLockedClocks_Overridden_ReplacesBothDomainResetsAndTheirOverrides()
    {
        var gpu = Decorate(Table(GpuWriteOperation.ResetLockedClocks, "both") + Table(GpuWriteOperation.ResetGpuLockedClocks, "gpu-only"));
        _device.SetGpuLockedClocks(900, 1400);

        gpu.ResetLockedClocks();

        Assert.Equal(["record [both]"], _workspace.Calls());
    }

    [Fact]
    public void ResetLockedClocks_NotOverridden_ResetsNativelyEvenIfADomainIsOverridden()
    {
        var gpu = Decorate(Table(GpuWriteOperation.ResetGpuLockedClocks, "gpu-only"));

        gpu.ResetLockedClocks();

        Assert.Empty(_workspace.Calls());
    }

    [Fact]
    public void NotOverridden_GoesToTheDevice()
    {
        var gpu = Decorate(Table(GpuWriteOperation.ResetLockedClocks, "x"));

        gpu.SetPowerLimit(SimulatedGpu.MinPowerLimitMw + 1000);

        Assert.Equal(SimulatedGpu.MinPowerLimitMw + 1000, gpu.GetPowerLimit());
        Assert.Empty(_workspace.Calls());
        // The device's own validation still applies where no override replaces it.
        Assert.Equal(DeviceErrorKind.InvalidArgument, Assert.Throws<DeviceException>(() => gpu.SetPowerLimit(1)).Kind);
    }

    [Fact]
    public void Overridden_FailingCommand_SurfacesTheOverrideError()
    {
        string fail = _workspace.WriteScript("fail", "exit 9");
        var gpu = Decorate($"[set_power_limit]\ncommands = [{OverrideWorkspace.Toml(fail)}]\n");

        var error = Assert.Throws<DeviceException>(() => gpu.SetPowerLimit(200_000));

        Assert.Equal(DeviceErrorKind.CommandOverrideFailed, error.Kind);
        Assert.Equal(500, Zeusd.Api.HttpErrorMap.StatusOf(error.Kind));
    }
}
