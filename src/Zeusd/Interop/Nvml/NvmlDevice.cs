using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

/// <summary>
/// <c>nvmlDevice_t</c>: NVML's opaque handle of one GPU. It stays valid while the NVML initialization it was obtained
/// under (an <see cref="NvmlInitHandle"/>) is alive; it owns nothing itself.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NvmlDevice
{
    private readonly nint _handle;
}
