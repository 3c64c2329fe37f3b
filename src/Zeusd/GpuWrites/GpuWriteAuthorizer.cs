using Zeusd.Auth;
using Zeusd.Policy;

namespace Zeusd.GpuWrites;

/// <summary>
/// The write path's authorizer when a policy or authentication is on: every requested GPU must be allowed by the
/// policy (when there is one) and by the token's <c>gpus</c> claim (when it has one), before anything is applied.
/// With a policy, each decision is also the request's audit line.
/// </summary>
/// <param name="audit">The policy's audit trail; null without a policy.</param>
public sealed class GpuWriteAuthorizer(PolicyAudit? audit) : IGpuWriteAuthorizer
{
    public string? Authorize(GpuWriteCommand command, Caller caller)
    {
        if (caller.IsDaemon)
        {
            return null;
        }
        var token = caller.Token;
        var values = command.Operation.ControlValuesOf(command.Values);
        var verdict = GpuControlDecision.Decide(caller.Rights, token?.Subject, token?.Gpus, values.Kind, command.GpuIds,
            values.First, values.Second);
        audit?.Write(caller.Rights, token?.Subject, command.Route, command.GpuIds, values, verdict);
        return verdict.Denial;
    }
}
