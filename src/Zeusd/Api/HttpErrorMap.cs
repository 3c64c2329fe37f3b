using Zeusd.Devices;

namespace Zeusd.Api;

/// <summary>The one place that decides which HTTP status a device error becomes.</summary>
public static class HttpErrorMap
{
    public static int StatusOf(DeviceErrorKind kind) => kind switch
    {
        DeviceErrorKind.InvalidRequest or DeviceErrorKind.InvalidArgument or DeviceErrorKind.NotSupported
            => StatusCodes.Status400BadRequest,
        DeviceErrorKind.NoPermission => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };
}
