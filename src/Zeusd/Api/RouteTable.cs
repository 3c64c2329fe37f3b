using System.Collections.Frozen;
using Zeusd.Configuration;

namespace Zeusd.Api;

/// <summary>
/// The daemon's routes: exact paths, one method each (matched case-sensitively, as HTTP defines methods), each
/// declaring the API group it belongs to. Every route is registered whatever <c>--enable</c> says; the
/// <see cref="AccessGate"/> reads the matched path's group, so no path prefix decides what a route is. A wrong method or
/// an unknown path is a 404 with an empty body, as in the original daemon (clients treat 405 nowhere, and
/// <c>/discover/</c> is not <c>/discover</c>). A frozen dictionary lookup replaces ASP.NET routing, which would answer
/// 405 and normalize paths.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, Route> _building = new(StringComparer.Ordinal);
    private FrozenDictionary<string, Route>? _routes;

    /// <param name="group">The API group the route belongs to; null for routes outside every group.</param>
    public void Get(string path, ApiGroup? group, RequestDelegate handler) => Add(path, HttpMethods.Get, group, handler);

    /// <inheritdoc cref="Get"/>
    public void Post(string path, ApiGroup? group, RequestDelegate handler) => Add(path, HttpMethods.Post, group, handler);

    private void Add(string path, string method, ApiGroup? group, RequestDelegate handler)
    {
        if (_routes is not null)
        {
            throw new InvalidOperationException("Routes are frozen once the server runs.");
        }
        _building.Add(path, new Route(method, group, handler));
    }

    /// <summary>The terminal request delegate: route lookup → access gate → dispatch, or 404.</summary>
    public RequestDelegate Build(AccessGate gate)
    {
        var routes = _routes = _building.ToFrozenDictionary(StringComparer.Ordinal);
        return context =>
        {
            var request = context.Request;
            string path = request.Path.Value ?? "/";
            routes.TryGetValue(path, out var route);
            if (gate.Refuse(context, path, route?.Group) is { } refusal)
            {
                return refusal;
            }
            if (route is not null && string.Equals(route.Method, request.Method, StringComparison.Ordinal))
            {
                return route.Handler(context);
            }
            return Responses.Empty(context.Response, StatusCodes.Status404NotFound);
        };
    }

    private sealed record Route(string Method, ApiGroup? Group, RequestDelegate Handler);
}
