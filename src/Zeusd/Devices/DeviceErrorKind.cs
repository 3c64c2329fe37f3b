namespace Zeusd.Devices;

/// <summary>
/// What went wrong on a device, independent of the transport. <c>Api/HttpErrorMap</c> is the one place that turns a
/// kind into an HTTP status.
/// </summary>
public enum DeviceErrorKind
{
    /// <summary>The request is valid HTTP but asks for something this device cannot do.</summary>
    InvalidRequest,
    /// <summary>The driver refused the operation for lack of privilege.</summary>
    NoPermission,
    /// <summary>The driver rejected a value (out of range, min above max, ...).</summary>
    InvalidArgument,
    /// <summary>The device does not support the operation.</summary>
    NotSupported,
    /// <summary>Any other driver failure (device lost, driver error, timeout).</summary>
    DriverFailure,
    /// <summary>A sysfs or other file read failed.</summary>
    Io,
    /// <summary>The device's management queue no longer accepts commands.</summary>
    QueueClosed,
    /// <summary>Too many commands already wait for the device; the client should retry later.</summary>
    QueueFull,
    /// <summary>The device did not return data required to compute a result.</summary>
    MissingData,
    /// <summary>A device could not be set up (for example a RAPL zone lacks a required file).</summary>
    InitializationFailed,
    /// <summary>A command failed with something other than a device error: a bug in the daemon.</summary>
    Internal,
    /// <summary>An admin-configured command that replaces a GPU write failed (<c>Override command failed: ...</c>).</summary>
    CommandOverrideFailed,
}
