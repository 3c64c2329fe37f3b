using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Zeusd.Transports;

namespace Zeusd.Metrics;

/// <summary>
/// The <c>--metrics-bind-address</c> listener. Its connections carry a marker feature, so the one request pipeline
/// sends them to <c>/metrics</c> only and never to the API (and API connections never reach <c>/metrics</c>), whatever
/// addresses the two listeners share.
/// </summary>
public static class MetricsListener
{
    public static void Register(KestrelServerOptions kestrel, IPEndPoint[] endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            kestrel.Listen(endpoint, listen => listen.Use(next => connection =>
            {
                connection.Features.Set(MetricsConnection.Instance);
                return next(connection);
            }));
        }
    }

    public static bool IsMetricsConnection(HttpContext context) => context.Features.Find<MetricsConnection>() is not null;

    /// <summary>The marker feature of a metrics listener's connection.</summary>
    public sealed class MetricsConnection
    {
        public static readonly MetricsConnection Instance = new();
    }
}
