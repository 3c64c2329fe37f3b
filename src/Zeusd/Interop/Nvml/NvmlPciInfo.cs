using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

/// <summary><c>nvmlPciInfo_t</c> as <c>nvmlDeviceGetPciInfo_v3</c> fills it (68 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NvmlPciInfo
{
    /// <summary><c>busIdLegacy</c>: "dddd:bb:dd.f", NUL-terminated.</summary>
    public fixed byte BusIdLegacy[16];
    public uint Domain;
    public uint Bus;
    public uint Device;
    public uint PciDeviceId;
    public uint PciSubSystemId;

    /// <summary><c>busId</c>: "dddddddd:bb:dd.f" (8-digit domain), NUL-terminated.</summary>
    public fixed byte BusId[32];
}
