using Zeusd.Interop.Nvml;

namespace Zeusd.Devices.Gpu.Nvml;

/// <summary>
/// NVML return codes as the errors clients see: <c>NVML error: </c> followed by the display text the original daemon's
/// NVML binding (nvml-wrapper 0.12) gives each code, including its misspellings, since clients and scripts compare texts.
/// NoPermission, InvalidArgument and NotSupported keep their own kinds (403, 400, 400); every other code is a driver failure (500).
/// </summary>
internal static class NvmlErrors
{
    public static DeviceException From(NvmlReturn code) => code switch
    {
        NvmlReturn.InvalidArgument => GpuErrors.InvalidArgument(),
        NvmlReturn.NotSupported => GpuErrors.NotSupported(),
        NvmlReturn.NoPermission => GpuErrors.NoPermission(),
        _ => DriverFailure(Describe(code)),
    };

    /// <summary>An enum value NVML returned that the binding does not know (e.g. a persistence state other than 0 or 1).</summary>
    public static DeviceException UnexpectedVariant(uint value) => DriverFailure($"unexpected enum variant value: {value}");

    /// <summary>A device name that is not UTF-8.</summary>
    public static DeviceException NotUtf8() => DriverFailure("could not interpret string as utf-8");

    private static DeviceException DriverFailure(string text) => new(DeviceErrorKind.DriverFailure, GpuErrors.NvmlPrefix + text);

    /// <summary>The binding's text for every code that is not one of <see cref="GpuErrors"/>' shared ones.</summary>
    private static string Describe(NvmlReturn code) => code switch
    {
        NvmlReturn.Uninitialized => "NVML was not first initialized with `Nvml::init()`",
        NvmlReturn.AlreadyInitialized => "NVML was already initialized",
        NvmlReturn.NotFound => "a query to find an object was unsuccessful",
        NvmlReturn.InsufficientSize => "an input argument is not large enough",
        NvmlReturn.InsufficientPower => "device's external power cables are not properly attached",
        NvmlReturn.DriverNotLoaded => "NVIDIA driver is not loaded",
        NvmlReturn.Timeout => "the provided timeout was reached",
        NvmlReturn.IrqIssue => "NVIDIA kernel detected an interrupt issue with a device",
        NvmlReturn.LibraryNotFound => "a shared library couldn't be found or loaded",
        NvmlReturn.FunctionNotFound => "a function couldn't be found in a shared library",
        NvmlReturn.CorruptedInfoRom => "the infoROM is corrupted",
        NvmlReturn.GpuIsLost => "device fell off the bus or has otherwise become inacessible",
        NvmlReturn.ResetRequired => "device requires a reset before it can be used again",
        NvmlReturn.OperatingSystem => "device control has been blocked by the operating system/cgroups",
        NvmlReturn.LibRmVersionMismatch => "RM detects a driver/library version mismatch",
        NvmlReturn.InUse => "operation cannot be performed because the GPU is currently in use",
        NvmlReturn.Memory => "insufficient memory",
        NvmlReturn.NoData => "no data",
        NvmlReturn.VgpuEccNotSupported =>
            "the requested vgpu operation is not available on the target device because ECC is enabled",
        NvmlReturn.Unknown => "an internal driver error occured",
        // Codes newer than the binding (23 and up) reach clients as the binding's catch-all.
        _ => $"unexpected enum variant value: {(uint)code}",
    };
}
