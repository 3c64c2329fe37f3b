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
        DeviceErrorKind.QueueFull => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Seconds a refused client should wait before it retries (<c>Retry-After</c>).</summary>
    public const string RetryAfterSeconds = "1";

    /// <summary>
    /// Headers that go with an error status: a 503 (a device's queue is full, or the daemon's stream limit is reached)
    /// is a "not now" and says when to come back. Call for every error response, with its status.
    /// </summary>
    public static void AddHeaders(HttpResponse response, int status)
    {
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = RetryAfterSeconds;
        }
    }
}
