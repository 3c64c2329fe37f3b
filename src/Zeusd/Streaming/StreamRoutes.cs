using Microsoft.Extensions.Logging;
using Zeusd.Api;
using Zeusd.Cli;
using Zeusd.Hosting;

namespace Zeusd.Streaming;

/// <summary><c>/gpu/stream_power</c> and <c>/cpu/stream_power</c>.</summary>
public sealed class StreamRoutes(ServeOptions options, NodeDevices devices, TimeProvider time, ILoggerFactory loggers)
{
    public void Register(RouteTable routes)
    {
        _ = (options, devices, time, loggers, routes);
    }
}
