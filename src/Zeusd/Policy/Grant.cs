using Zeusd.Configuration;

namespace Zeusd.Policy;

/// <summary>
/// One <c>[[grant]]</c> of a policy file: whom it matches (socket peers by uid or group, token subjects, or any caller)
/// and what it allows (API groups; for <c>gpu-control</c> the GPUs and the value ranges).
/// </summary>
public sealed class Grant
{
    public required string Name { get; init; }

    /// <summary><c>users = ["*"]</c>: every caller, whether a socket peer, a token holder or anonymous (TCP without auth).</summary>
    public bool AnyCaller { get; init; }

    public IReadOnlySet<uint> Uids { get; init; } = new HashSet<uint>();

    public IReadOnlySet<uint> Gids { get; init; } = new HashSet<uint>();

    public IReadOnlySet<string> Subjects { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public required IReadOnlyList<ApiGroup> Scopes { get; init; }

    /// <summary>The GPUs <c>gpu-control</c> may touch, ascending; null for every GPU.</summary>
    public int[]? Gpus { get; init; }

    public ValueRange? PowerLimitMw { get; init; }

    public ValueRange? GpuLockedClocksMhz { get; init; }

    public ValueRange? MemLockedClocksMhz { get; init; }

    /// <summary>Whether <c>set_persistence_mode</c> is allowed on the covered GPUs.</summary>
    public bool PersistenceMode { get; init; } = true;

    /// <summary>Whom the grant names, as the file spelled it (names with their ids), for <c>policy check</c>.</summary>
    public required string Who { get; init; }

    public bool HasScope(ApiGroup group) => Scopes.Contains(group);

    public bool Covers(int gpu) => Gpus is null || Array.BinarySearch(Gpus, gpu) >= 0;

    /// <summary>Whether the grant applies to a caller with these peer credentials (if any) and token subject (if any).</summary>
    public bool Matches(PeerCredentials? peer, string? subject)
    {
        if (AnyCaller)
        {
            return true;
        }
        if (subject is not null && Subjects.Contains(subject))
        {
            return true;
        }
        if (peer is null)
        {
            return false;
        }
        if (Uids.Contains(peer.Uid) || Gids.Contains(peer.Gid))
        {
            return true;
        }
        foreach (uint gid in peer.SupplementaryGroups)
        {
            if (Gids.Contains(gid))
            {
                return true;
            }
        }
        return false;
    }
}
