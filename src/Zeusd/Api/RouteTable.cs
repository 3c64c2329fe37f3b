using System.Collections.Frozen;
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
            if (!routes.TryGetValue(path, out var route) && IndexedForm(path) is { } indexed)
            {
                routes.TryGetValue(indexed, out route);
            }
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

    private sealed record Route(string Method, ApiGroup? Group, RequestDelegate Handler);
}
