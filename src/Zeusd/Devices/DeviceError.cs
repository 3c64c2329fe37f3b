namespace Zeusd.Devices;

/// <summary>One device's failure within a request that spans several devices.</summary>
/// <param name="Message">The exact text clients see.</param>
public readonly record struct DeviceError(int DeviceId, DeviceErrorKind Kind, string Message)
{
    /// <summary>
    /// A device's failure from what its command threw: a <see cref="DeviceException"/> as it is; anything else is a bug,
    /// answered like the original daemon answers when a management task dies.
    /// </summary>
    public static DeviceError From(int deviceId, Exception error, string deviceName) => error is DeviceException device
        ? new DeviceError(deviceId, device.Kind, device.Message)
        : new DeviceError(deviceId, DeviceErrorKind.Internal,
            $"Management task for {deviceName} unexpectedly terminated while handling the request.");
}
