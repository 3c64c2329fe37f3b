namespace Zeusd.Devices;

/// <summary>
/// A device operation failed. <see cref="Exception.Message"/> is the exact text clients see
/// (for example <c>NVML error: the requested operation is not available on the target device</c>).
/// </summary>
public sealed class DeviceException(DeviceErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public DeviceErrorKind Kind { get; } = kind;
}
