using Microsoft.Extensions.Logging;
using Zeusd.Configuration;
using Zeusd.Interop.AmdSmi;

namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>AMD GPUs through AMD SMI (<c>--gpu-backend amdsmi</c>, and AMD's half of <c>auto</c>).</summary>
internal sealed class AmdSmiBackendProvider(AmdSmiLibrarySearch search, ILogger logger) : IGpuBackendProvider
{
    public GpuBackendKind Kind => GpuBackendKind.AmdSmi;

    public string DisplayName => "AMDSMI";

    /// <summary>The original daemon's texts are complete sentences (<c>Failed to load AMD SMI: …</c>, <c>AMDSMI error …</c>).</summary>
    public string ExplicitFailure(string error) => error;

    public IGpuBackend? TryOpen(out string? error)
    {
        try
        {
            error = null;
            return AmdSmiGpuBackend.Open(search, logger);
        }
        catch (DeviceException ex)
        {
            error = ex.Message;
            return null;
        }
    }
}
