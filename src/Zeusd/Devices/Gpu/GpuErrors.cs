namespace Zeusd.Devices.Gpu;

/// <summary>
/// GPU errors with the exact texts the original daemon shows (nvml-wrapper's display strings behind
/// <c>NVML error: </c>), so that every GPU backend, real or simulated, fails the same way.
/// </summary>
public static class GpuErrors
{
    public const string NvmlPrefix = "NVML error: ";

    public static DeviceException InvalidArgument() =>
        new(DeviceErrorKind.InvalidArgument, NvmlPrefix + "a supplied argument was invalid");

    public static DeviceException NotSupported() =>
        new(DeviceErrorKind.NotSupported, NvmlPrefix + "the requested operation is not available on the target device");

    public static DeviceException NoPermission() =>
        new(DeviceErrorKind.NoPermission, NvmlPrefix + "the current user does not have permission to perform this operation");

    public static DeviceException PersistenceCannotBeDisabled() =>
        new(DeviceErrorKind.InvalidRequest, "Persistence mode cannot be disabled on this platform.");
}
