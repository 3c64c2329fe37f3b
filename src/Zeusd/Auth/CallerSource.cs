using Zeusd.Transports;

namespace Zeusd.Auth;

/// <summary>
/// How the routes learn who sent a request, knowing what this daemon attaches: the access gate's <see cref="Caller"/>
/// (authentication or a policy on), else the connection's process (<c>--restore</c> following clients), else nobody.
/// A feature lookup that finds nothing walks both of Kestrel's feature lists: perf put the two lookups at 2 % of a
/// <c>set_power_limit</c>'s CPU on a daemon that attaches neither.
/// </summary>
public sealed class CallerSource(bool gateAttachesCallers, bool connectionsKnowTheirProcess)
{
    /// <summary>The caller of a request, as the access gate attached it, else the connection's process, if known.</summary>
    public Caller Of(HttpContext context)
    {
        if (gateAttachesCallers && context.Features.Find<Caller>() is { } attached)
        {
            return attached;
        }
        return connectionsKnowTheirProcess && ConnectionProcess.Of(context) is { } process ? new Caller(null, null, process) : Caller.Anonymous;
    }

    /// <summary>The process of a request's connection, when connections record it.</summary>
    public ConnectionProcess? ProcessOf(HttpContext context) => connectionsKnowTheirProcess ? ConnectionProcess.Of(context) : null;
}
