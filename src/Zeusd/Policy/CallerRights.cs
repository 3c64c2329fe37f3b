using System.Text;
using Zeusd.Configuration;

namespace Zeusd.Policy;

/// <summary>
/// What one caller may do under one policy: the grants that match it, the union of their scopes, and the grants that
/// give <c>gpu-control</c> (consulted per GPU and value). Computed once per connection and policy, then reused.
/// </summary>
public sealed class CallerRights
{
    private readonly bool[] _scopes = new bool[ApiGroups.All.Length];
    private string? _auditName;
    private byte[]? _auditNameUtf8;

    internal CallerRights(AccessPolicy policy, PeerCredentials? peer, string? subject, Grant[] grants, bool unrestricted)
    {
        Policy = policy;
        Peer = peer;
        Subject = subject;
        Grants = grants;
        IsUnrestricted = unrestricted;
        Caller = CallerDescription.Of(peer, subject);
        foreach (var group in ApiGroups.All)
        {
            _scopes[(int)group] = unrestricted || grants.Any(g => g.HasScope(group));
        }
        ControlGrants = [.. grants.Where(g => g.HasScope(ApiGroup.GpuControl))];
        if (!unrestricted && !ControlGrants.Any(g => g.Gpus is null))
        {
            ControllableGpus = [.. ControlGrants.SelectMany(g => g.Gpus!).Distinct().Order()];
        }
    }

    internal static CallerRights Unrestricted(AccessPolicy policy, PeerCredentials peer, string? subject) =>
        new(policy, peer, subject, [], unrestricted: true);

    /// <summary>The policy these rights come from: a reload makes them stale.</summary>
    public AccessPolicy Policy { get; }

    public PeerCredentials? Peer { get; }

    public string? Subject { get; }

    /// <summary>The matching grants, in file order (empty for root, whom no grant is needed for).</summary>
    public IReadOnlyList<Grant> Grants { get; }

    /// <summary>A root peer: every scope, every GPU, every value.</summary>
    public bool IsUnrestricted { get; }

    /// <summary>The caller as denials name it.</summary>
    public string Caller { get; }

    /// <summary>The caller as audit lines name it (with the peer's pid); built once per connection, not per request.</summary>
    public string AuditName => _auditName ??= CallerDescription.Of(Peer, Subject, withPid: true);

    /// <summary>The same name as UTF-8, for the allowed requests' lines, which copy it rather than encode it each time.</summary>
    public byte[] AuditNameUtf8 => _auditNameUtf8 ??= Encoding.UTF8.GetBytes(AuditName);

    /// <summary>An array: the write path walks it per GPU, and an interface's enumerator is an allocation each time.</summary>
    public Grant[] ControlGrants { get; }

    /// <summary>The GPUs some matching grant lets the caller control, ascending; null when that is every GPU.</summary>
    public int[]? ControllableGpus { get; }

    public bool HasScope(ApiGroup group) => _scopes[(int)group];
}
