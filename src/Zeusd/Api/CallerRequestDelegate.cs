using Zeusd.Auth;

namespace Zeusd.Api;

/// <summary>
/// A route that acts for its caller (writes, restores, whoami): it is handed the caller the access gate identified,
/// rather than finding it among the request's features. A feature set and found again cost two walks of Kestrel's
/// feature lists per request (BENCHMARKS.md, issue 17).
/// </summary>
public delegate Task CallerRequestDelegate(HttpContext context, Caller caller);
