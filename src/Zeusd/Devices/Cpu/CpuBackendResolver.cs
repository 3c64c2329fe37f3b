using Microsoft.Extensions.Logging;
using Zeusd.Common;
using Zeusd.Devices.Cpu.Rapl;
using Zeusd.Devices.Cpu.Simulated;

namespace Zeusd.Devices.Cpu;

/// <summary>Chooses the CPU backend: the simulated node, or RAPL sysfs (contract §2, step 7).</summary>
public static class CpuBackendResolver
{
    public const int SimulatedPackageCount = 2;

    /// <returns>The backend, or null when the node has no RAPL.</returns>
    /// <exception cref="StartupException">A RAPL package is incomplete or its counters cannot be read.</exception>
    public static ICpuBackend? Resolve(bool simulate, TimeProvider time, ILogger logger)
    {
        if (simulate)
        {
            return new SimulatedCpuBackend(SimulatedPackageCount, time);
        }
        string directory = RaplPaths.BaseDirectory(Environment.GetEnvironmentVariable(RaplPaths.OverrideVariable));
        try
        {
            return RaplDiscovery.Discover(directory, logger) is { } packages ? new RaplBackend(packages) : null;
        }
        catch (DeviceException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
    }
}
