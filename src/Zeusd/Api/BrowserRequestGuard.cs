using System.Net;
using Microsoft.Extensions.Logging;

namespace Zeusd.Api;

/// <summary>
/// Keeps web browsers away from the TCP API. A page the user visits can make the browser send requests to
/// <c>127.0.0.1:4938</c> (cross-site requests, which carry <c>Origin</c> or <c>Sec-Fetch-Site: cross-site</c>) or, by
/// DNS rebinding, requests that look same-origin but name the attacker's domain in <c>Host</c>. zeusd's clients (curl,
/// Zeus's httpx client, scripts) send neither <c>Origin</c> nor <c>Sec-Fetch-*</c>, and address the daemon by IP
/// address, a loopback name, the machine's name or a name the operator allowed (<c>--allowed-host</c>).
/// <para>
/// Only on TCP: a browser cannot open a Unix socket or a named pipe, and there the Host header is whatever the client
/// chose (httpx sends <c>localhost</c>, curl the URL's host), so checking it would only break clients.
/// </para>
/// </summary>
public sealed partial class BrowserRequestGuard
{
    private readonly HashSet<string> _allowedNames;
    private readonly ILogger _logger;

    /// <param name="allowedNames">Host names to accept besides IP literals and loopback names (case-insensitive).</param>
    public BrowserRequestGuard(IEnumerable<string> allowedNames, ILogger logger)
    {
        _allowedNames = new HashSet<string>(allowedNames.Select(n => n.TrimEnd('.')), StringComparer.OrdinalIgnoreCase);
        _logger = logger;
    }

    public RequestDelegate Middleware(RequestDelegate next) => context =>
    {
        var request = context.Request;
        if (request.Headers.Origin is { Count: > 0 } origin)
        {
            Log.Refused(_logger, "Origin", origin.ToString());
            return Responses.Error(context.Response, StatusCodes.Status403Forbidden,
                $"Requests from web pages are refused (Origin: {origin}). zeusd serves programs such as curl and the Zeus client, which send no Origin header.");
        }
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site && (site == "cross-site" || site == "same-site"))
        {
            Log.Refused(_logger, "Sec-Fetch-Site", site.ToString());
            return Responses.Error(context.Response, StatusCodes.Status403Forbidden,
                $"Requests from web pages are refused (Sec-Fetch-Site: {site}).");
        }
        string host = request.Host.Host;
        if (!IsAllowedHost(host))
        {
            Log.Refused(_logger, "Host", request.Host.Value ?? "");
            return Responses.Error(context.Response, StatusCodes.Status421MisdirectedRequest,
                $"Host '{host}' is not served here: address zeusd by IP address, a loopback name such as localhost, " +
                "the machine's name, or a name given with --allowed-host.");
        }
        return next(context);
    };

    /// <summary>An IP literal, <c>localhost</c> or a name under <c>.localhost</c> (RFC 6761), or an allowed name.</summary>
    public bool IsAllowedHost(string host)
    {
        if (host.Length == 0)
        {
            return true; // HTTP/1.0 without Host: no name that could have been rebound
        }
        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return true;
        }
        string name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || _allowedNames.Contains(name);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Refused a browser request over TCP ({Header}: {Value})")]
        public static partial void Refused(ILogger logger, string header, string value);
    }
}
