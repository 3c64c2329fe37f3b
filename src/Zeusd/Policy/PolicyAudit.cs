using System.Text;
using Microsoft.Extensions.Logging;
using Zeusd.Logging;

namespace Zeusd.Policy;

/// <summary>
/// The audit trail under a policy: one <c>info</c> line per gpu-control request, allowed or denied, naming the caller
/// (user, uid and pid of the socket peer and/or the token subject), the route, the GPUs, the values, the decision and
/// the grant that allowed it (or why not).
/// </summary>
/// <param name="logger">The category's logger, whose filters (<c>--log-level</c>) decide whether lines are written.</param>
/// <param name="lines">
/// The same category's logger of the daemon's only sink: the allowed line, logged on every request, goes to it directly
/// and by value. Through the logging framework each line was an object of its own and took two generic virtual calls,
/// which NativeAOT resolves by a table lookup each time (BENCHMARKS.md, issue 17).
/// </param>
public sealed partial class PolicyAudit(ILogger logger, LineLogger lines)
{
    /// <summary>Event 1: an allowed request (<see cref="AllowedControlAudit"/>); 2 and 3 are denials.</summary>
    private static readonly EventId AllowedEvent = new(1, "Allowed");

    public void Write(CallerRights? rights, string? tokenSubject, string route, int[] gpus, ControlValues values, ControlVerdict verdict)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }
        // Without rights (a token and no policy) the caller is named here, once; with them, once per connection.
        string? tokenCaller = rights is null ? CallerDescription.Of(null, tokenSubject, withPid: true) : null;
        if (verdict.IsAllowed)
        {
            byte[] caller = rights?.AuditNameUtf8 ?? Encoding.UTF8.GetBytes(tokenCaller!);
            lines.Log(LogLevel.Information, AllowedEvent, AllowedControlAudit.Format,
                AllowedControlAudit.Parts(caller, route, gpus, values, verdict.Grants));
        }
        else
        {
            string caller = rights?.AuditName ?? tokenCaller!;
            Log.Denied(logger, caller, route, string.Join(',', gpus), values.ToString(), verdict.Denial!);
        }
    }

    /// <summary>A request refused by the gate, before its GPUs and values were parsed: the raw query stands for them.</summary>
    public void WriteRefused(CallerRights rights, string route, string query, ControlVerdict verdict)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            Log.DeniedUnparsed(logger, rights.AuditName, route, query, verdict.Denial!);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Information, "GPU control by {Caller}: {Route} on GPUs [{Gpus}] ({Values}): denied: {Reason}")]
        public static partial void Denied(ILogger logger, string caller, string route, string gpus, string values, string reason);

        [LoggerMessage(3, LogLevel.Information, "GPU control by {Caller}: {Route}{Query}: denied: {Reason}")]
        public static partial void DeniedUnparsed(ILogger logger, string caller, string route, string query, string reason);
    }
}
