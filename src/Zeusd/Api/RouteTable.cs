using System.Collections.Frozen;
using Zeusd.Auth;
using Zeusd.Configuration;

namespace Zeusd.Api;

/// <summary>
/// The daemon's routes: exact paths, one method each (matched case-sensitively, as HTTP defines methods), each
/// declaring the API group it belongs to. Every route is registered whatever <c>--enable</c> says; the
/// <see cref="AccessGate"/> reads the matched path's group, so no path prefix decides what a route is. A wrong method or
/// an unknown path is a 404 with an empty body, as in the original daemon (clients treat 405 nowhere, and
/// <c>/discover/</c> is not <c>/discover</c>). A frozen dictionary lookup replaces ASP.NET routing, which would answer
/// 405 and normalize paths. A path may hold one device-index segment, written <c>{index}</c> (the legacy API's
/// <c>/gpu/{index}/set_power_limit</c>): it matches any non-empty segment there, and the handler parses it.
/// </summary>
public sealed class RouteTable
{
    /// <summary>How a path's device-index segment is written when the route is registered.</summary>
    public const string IndexSegment = "{index}";

    private readonly Dictionary<string, Route> _building = new(StringComparer.Ordinal);
    private FrozenDictionary<string, Route>? _routes;

    /// <param name="group">The API group the route belongs to; null for routes outside every group.</param>
    public void Get(string path, ApiGroup? group, RequestDelegate handler) => Add(path, new Route(HttpMethods.Get, group, handler, null));

    /// <inheritdoc cref="Get(string, ApiGroup?, RequestDelegate)"/>
    public void Get(string path, ApiGroup? group, CallerRequestDelegate handler) => Add(path, new Route(HttpMethods.Get, group, null, handler));

    /// <inheritdoc cref="Get(string, ApiGroup?, RequestDelegate)"/>
    public void Post(string path, ApiGroup? group, RequestDelegate handler) => Add(path, new Route(HttpMethods.Post, group, handler, null));

    /// <inheritdoc cref="Get(string, ApiGroup?, RequestDelegate)"/>
    public void Post(string path, ApiGroup? group, CallerRequestDelegate handler) => Add(path, new Route(HttpMethods.Post, group, null, handler));

    private void Add(string path, Route route)
    {
        if (_routes is not null)
        {
            throw new InvalidOperationException("Routes are frozen once the server runs.");
        }
        _building.Add(path, route);
    }

    /// <summary>
    /// The terminal request delegate: route lookup → access gate → dispatch, or 404. A route that acts for its caller
    /// gets the one the gate identified, else the one <paramref name="callers"/> knows from the connection.
    /// </summary>
    public RequestDelegate Build(AccessGate gate, CallerSource callers)
    {
        var routes = _routes = _building.ToFrozenDictionary(StringComparer.Ordinal);
        return context =>
        {
            var request = context.Request;
            string path = request.Path.Value ?? "/";
            var route = Find(routes, path, out _);
            if (gate.Refuse(context, path, route?.Group, out var caller) is { } refusal)
            {
                return refusal;
            }
            if (route is not null && string.Equals(route.Method, request.Method, StringComparison.Ordinal))
            {
                return route.CallerHandler is { } handler ? handler(context, caller ?? callers.Of(context)) : route.Handler!(context);
            }
            return Responses.Empty(context.Response, StatusCodes.Status404NotFound);
        };
    }

    /// <summary>The registered path <paramref name="path"/> matches (<c>/gpu/{index}/set_power_limit</c> for <c>/gpu/3/...</c>), or null.</summary>
    public string? RouteOf(string path)
    {
        var routes = _routes ?? throw new InvalidOperationException("Routes are not built yet.");
        return Find(routes, path, out string? registered) is null ? null : registered;
    }

    private static Route? Find(FrozenDictionary<string, Route> routes, string path, out string? registered)
    {
        if (routes.TryGetValue(path, out var route))
        {
            registered = path;
            return route;
        }
        if (IndexedForm(path) is { } indexed && routes.TryGetValue(indexed, out route))
        {
            registered = indexed;
            return route;
        }
        registered = null;
        return null;
    }

    /// <summary><c>/gpu/3/set_power_limit</c> → <c>/gpu/{index}/set_power_limit</c>; null when the path has not three segments.</summary>
    private static string? IndexedForm(string path)
    {
        int first = path.IndexOf('/', 1);
        if (first < 0)
        {
            return null;
        }
        int second = path.IndexOf('/', first + 1);
        if (second <= first + 1 || path.IndexOf('/', second + 1) >= 0)
        {
            return null;
        }
        return string.Concat(path.AsSpan(0, first + 1), IndexSegment, path.AsSpan(second));
    }

    /// <summary>The index segment of a path that matched an indexed route (<c>3</c> of <c>/gpu/3/set_power_limit</c>).</summary>
    public static string IndexOf(string path)
    {
        int first = path.IndexOf('/', 1);
        return path[(first + 1)..path.IndexOf('/', first + 1)];
    }

    /// <summary>One of the two handlers is set.</summary>
    private sealed record Route(string Method, ApiGroup? Group, RequestDelegate? Handler, CallerRequestDelegate? CallerHandler);
}
