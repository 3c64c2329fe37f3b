using Zeusd.Configuration;
using Zeusd.Transports;

namespace Zeusd.Policy;

/// <summary>
/// The policy's part of the access gate: the caller's rights (from the connection's cached identity and the token's
/// subject) and whether they include the group of the matched route. Reads need only the scope; gpu-control requests
/// are decided per GPU and value later, by the write path's authorizer.
/// </summary>
public sealed class PolicyGate(PolicyStore store, PolicyAudit audit)
{
    /// <returns>null and the caller's rights, or the 403 text.</returns>
    public string? Check(HttpContext context, string? subject, string path, ApiGroup? group, out CallerRights rights)
    {
        var policy = store.Current;
        rights = context.Features.Find<ConnectionIdentity>() is { } identity
            ? identity.RightsUnder(policy, subject)
            : policy.RightsOf(null, subject);
        if (group is not { } needed || rights.HasScope(needed))
        {
            return null;
        }
        string denial = $"{GpuControlDecision.DeniedByPolicy}{rights.Caller} has no grant with scope '{needed.WireName()}'";
        if (needed == ApiGroup.GpuControl)
        {
            // Refused before its query is read: the audit line shows the query as sent.
            audit.WriteRefused(rights, path, context.Request.QueryString.Value ?? "", ControlVerdict.Deny(denial));
        }
        return denial;
    }
}
