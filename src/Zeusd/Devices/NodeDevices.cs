using Zeusd.Devices.Cpu;
using Zeusd.Devices.Gpu;

namespace Zeusd.Devices;

/// <summary>The node's devices, opened at startup and closed at shutdown.</summary>
public sealed record NodeDevices(GpuFleet Gpus, CpuFleet Cpus) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Gpus.DisposeAsync();
        await Cpus.DisposeAsync();
    }
}
