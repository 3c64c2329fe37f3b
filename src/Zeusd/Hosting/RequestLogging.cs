using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Zeusd.Hosting;

/// <summary>One line per request, registered only at debug level so the default path pays nothing for it.</summary>
public sealed partial class RequestLogging(ILogger<RequestLogging> logger)
{
    public Func<HttpContext, RequestDelegate, Task> Middleware => async (context, next) =>
    {
        long start = Stopwatch.GetTimestamp();
        await next(context);
        Log.Request(logger, context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
            context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "{Method} {Path}{Query} -> {Status} in {ElapsedMs:F3} ms")]
        public static partial void Request(ILogger logger, string method, string path, string query, int status, double elapsedMs);
    }
}
