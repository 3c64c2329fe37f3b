using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>Energy in millijoules since the driver was loaded (Volta and newer; older boards answer NOT_SUPPORTED).</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetTotalEnergyConsumption")]
    public static partial NvmlReturn DeviceGetTotalEnergyConsumption(NvmlDevice device, out ulong energyMillijoules);
}
