using Zeusd.Devices;

namespace Zeusd.Api;

/// <summary>The one place that decides which HTTP status a device error becomes.</summary>
public static class HttpErrorMap
{
    public static int StatusOf(DeviceErrorKind kind) => kind switch
    {
        DeviceErrorKind.GpuNotFound or DeviceErrorKind.CpuNotFound or DeviceErrorKind.InvalidRequest
            or DeviceErrorKind.InvalidArgument or DeviceErrorKind.NotSupported => StatusCodes.Status400BadRequest,
        DeviceErrorKind.NoPermission => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Status and client-visible message for any failure of a device command.</summary>
    public static (int Status, string Message) Describe(Exception error, string deviceName) => error switch
    {
        DeviceException device => (StatusOf(device.Kind), device.Message),
        // A bug, not a device failure: answer like the original daemon does when a management task dies.
        _ => (StatusCodes.Status500InternalServerError,
            $"Management task for {deviceName} unexpectedly terminated while handling the request."),
    };
}
