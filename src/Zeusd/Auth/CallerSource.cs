using Zeusd.Transports;

namespace Zeusd.Auth;

/// <summary>
/// The caller of a request the access gate did not identify (authentication and policy off): the connection's process
/// when connections record it (<c>--restore</c> following clients), else nobody. Looked up only when asked: a feature
/// lookup that finds nothing walks both of Kestrel's feature lists.
/// </summary>
public sealed class CallerSource(bool connectionsKnowTheirProcess)
{
    /// <summary>The connection's process as the caller, if known, else <see cref="Caller.Anonymous"/>.</summary>
    public Caller Of(HttpContext context) =>
        connectionsKnowTheirProcess && ConnectionProcess.Of(context) is { } process ? new Caller(null, null, process) : Caller.Anonymous;

    /// <summary>The process of a request's connection, when connections record it.</summary>
    public ConnectionProcess? ProcessOf(HttpContext context) => connectionsKnowTheirProcess ? ConnectionProcess.Of(context) : null;
}
