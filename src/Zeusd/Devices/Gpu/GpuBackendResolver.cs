using Microsoft.Extensions.Logging;
using Zeusd.Cli;
using Zeusd.Hosting;

namespace Zeusd.Devices.Gpu;

/// <summary>Chooses the GPU backend from <c>--gpu-backend</c> and <c>--simulate</c> (contract §2, step 3).</summary>
public static partial class GpuBackendResolver
{
    public const int SimulatedGpuCount = 4;

    /// <returns>The backend, or null when the node runs with zero GPUs.</returns>
    public static IGpuBackend? Resolve(ServeOptions options, TimeProvider time, ILogger logger)
    {
        if (options.Simulate)
        {
            return new SimulatedGpuBackend(SimulatedGpuCount, time);
        }
        switch (options.GpuBackend)
        {
            case GpuBackendKind.AmdSmi:
                throw new StartupException("this zeusd binary was built without the AMD SMI backend; use --gpu-backend nvml or auto");
            case GpuBackendKind.Nvml:
                throw new StartupException("NVML backend is not available in this build yet");
            default:
                Log.NoGpuBackend(logger);
                return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No GPU backend found; serving zero GPUs")]
        public static partial void NoGpuBackend(ILogger logger);
    }
}
