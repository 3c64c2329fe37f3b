using System.Collections.Frozen;

namespace Zeusd.Api;

/// <summary>
/// The daemon's routes: exact paths, one method each. A wrong method or an unknown path is a 404 with an empty body,
/// as in the original daemon (clients treat 405 nowhere, and <c>/discover/</c> is not <c>/discover</c>).
/// A frozen dictionary lookup replaces ASP.NET routing, which would answer 405 and normalize paths. Methods match
/// exactly: they are case-sensitive (RFC 9110 §9.1), so <c>post</c> is not <c>POST</c> and runs no control command.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, Route> _building = new(StringComparer.Ordinal);
    private FrozenDictionary<string, Route>? _routes;

    public void Get(string path, RequestDelegate handler) => Add(path, HttpMethods.Get, handler);

    public void Post(string path, RequestDelegate handler) => Add(path, HttpMethods.Post, handler);

    private void Add(string path, string method, RequestDelegate handler)
    {
        if (_routes is not null)
        {
            throw new InvalidOperationException("Routes are frozen once the server runs.");
        }
        _building.Add(path, new Route(method, handler));
    }

    public IEnumerable<string> Paths => _building.Keys;

    /// <summary>The terminal request delegate: dispatch or 404.</summary>
    public RequestDelegate Build()
    {
        var routes = _routes = _building.ToFrozenDictionary(StringComparer.Ordinal);
        return context =>
        {
            var request = context.Request;
            if (request.Path.Value is { } path && routes.TryGetValue(path, out var route)
                && string.Equals(route.Method, request.Method, StringComparison.Ordinal))
            {
                return route.Handler(context);
            }
            return Responses.Empty(context.Response, StatusCodes.Status404NotFound);
        };
    }

    private sealed record Route(string Method, RequestDelegate Handler);
}
