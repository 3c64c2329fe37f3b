using Microsoft.Extensions.Logging;
using Zeusd.Cli;
using Zeusd.Hosting;
using Zeusd.Configuration;
using Zeusd.Devices.Gpu.Nvml;
using Zeusd.Devices.Gpu.Simulated;
using Zeusd.Common;

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
                var nvml = NvmlGpuBackend.TryProbe(out string? error)
                    ?? throw new StartupException($"--gpu-backend nvml: NVML is not usable: {error}");
                Log.NvmlFound(logger, nvml.DeviceCount);
                return nvml;
            default:
                return ProbeAuto(logger);
        }
    }

    /// <summary>
    /// <c>auto</c>: NVML if it loads and sees at least one GPU. Anything else (no driver, a failing driver, no GPUs)
    /// is a warning and a node without GPUs, so a CPU-only node runs the same daemon.
    /// </summary>
    private static IGpuBackend? ProbeAuto(ILogger logger)
    {
        if (NvmlGpuBackend.TryProbe(out string? error) is not { } nvml)
        {
            Log.NvmlProbeFailed(logger, error!);
        }
        else if (nvml.DeviceCount > 0)
        {
            Log.NvmlFound(logger, nvml.DeviceCount);
            return nvml;
        }
        else
        {
            nvml.Dispose();
        }
        Log.NoGpuBackend(logger);
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No GPU backend found; serving zero GPUs")]
        public static partial void NoGpuBackend(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "NVML probe failed: {Error}")]
        public static partial void NvmlProbeFailed(ILogger logger, string error);

        [LoggerMessage(3, LogLevel.Information, "NVML backend: {Count} GPU(s)")]
        public static partial void NvmlFound(ILogger logger, int count);
    }
}
