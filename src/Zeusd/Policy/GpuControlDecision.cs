using System.Text;

namespace Zeusd.Policy;

/// <summary>
/// Decides a gpu-control request before anything is applied. Two independent limits, both of which must allow every
/// requested GPU: the policy (some matching grant with gpu-control covers the GPU and allows the values; resets need
/// only the cover) and the token's <c>gpus</c> claim (a token narrows, never widens). Either may be absent.
/// </summary>
public static class GpuControlDecision
{
    public const string DeniedByPolicy = "Access denied by policy: ";
    public const string RootGrant = "(root)";
    public const string NoPolicyGrant = "(no policy)";

    /// <param name="rights">The caller's rights under the policy; null without <c>--policy</c>.</param>
    /// <param name="tokenSubject">The token's subject when a token was verified, for the token's denial.</param>
    /// <param name="tokenGpus">The token's <c>gpus</c> claim, ascending; null when it covers every GPU.</param>
    public static ControlVerdict Decide(CallerRights? rights, string? tokenSubject, int[]? tokenGpus,
        ControlKind kind, ReadOnlySpan<int> gpus, uint first, uint second)
    {
        if (tokenGpus is not null)
        {
            foreach (int gpu in gpus)
            {
                if (Array.BinarySearch(tokenGpus, gpu) < 0)
                {
                    return ControlVerdict.Deny(
                        $"Token for user '{tokenSubject}' may not control GPU {gpu}: the token covers GPUs [{string.Join(", ", tokenGpus)}]");
                }
            }
        }
        if (rights is null)
        {
            return ControlVerdict.Allow(NoPolicyGrant);
        }
        if (rights.IsUnrestricted)
        {
            return ControlVerdict.Allow(RootGrant);
        }
        var controlGrants = rights.ControlGrants;
        if (controlGrants.Length == 0)
        {
            return ControlVerdict.Deny($"{DeniedByPolicy}{rights.Caller} has no grant with scope 'gpu-control'");
        }

        // The common case, one grant that allows every GPU, needs no list.
        Grant? single = null;
        List<Grant>? used = null;
        foreach (int gpu in gpus)
        {
            Grant? allowing = null;
            bool covered = false;
            foreach (var grant in controlGrants)
            {
                if (!grant.Covers(gpu))
                {
                    continue;
                }
                covered = true;
                if (Allows(grant, kind, first, second))
                {
                    allowing = grant;
                    break;
                }
            }
            if (allowing is null)
            {
                return ControlVerdict.Deny(covered ? ValueDenial(rights, kind, gpu, first, second) : GpuDenial(rights, gpu));
            }
            if (single is null)
            {
                single = allowing;
            }
            else if (!ReferenceEquals(single, allowing))
            {
                used ??= [single];
                if (!used.Contains(allowing))
                {
                    used.Add(allowing);
                }
            }
        }
        return ControlVerdict.Allow(used is null ? single?.Name ?? "-" : string.Join(",", used.Select(g => g.Name)));
    }

    private static bool Allows(Grant grant, ControlKind kind, uint first, uint second) => kind switch
    {
        ControlKind.PowerLimit => grant.PowerLimitMw is not { } range || range.Contains(first),
        ControlKind.GpuLockedClocks => grant.GpuLockedClocksMhz is not { } range || (range.Contains(first) && range.Contains(second)),
        ControlKind.MemLockedClocks => grant.MemLockedClocksMhz is not { } range || (range.Contains(first) && range.Contains(second)),
        ControlKind.PersistenceMode => grant.PersistenceMode,
        _ => true,
    };

    private static string GpuDenial(CallerRights rights, int gpu) =>
        $"{DeniedByPolicy}{rights.Caller} may not control GPU {gpu}; its grants cover GPUs [{string.Join(", ", rights.ControllableGpus ?? [])}]";

    private static string ValueDenial(CallerRights rights, ControlKind kind, int gpu, uint first, uint second)
    {
        var covering = rights.ControlGrants.Where(g => g.Covers(gpu)).ToList();
        if (kind == ControlKind.PersistenceMode)
        {
            return $"{DeniedByPolicy}{rights.Caller} may not change the persistence mode of GPU {gpu}: " +
                $"persistence_mode = false in {string.Join(", ", covering.Select(g => $"grant '{g.Name}'"))}";
        }
        var (key, value) = kind switch
        {
            ControlKind.PowerLimit => ("power_limit_mw", first.ToString()),
            ControlKind.GpuLockedClocks => ("gpu_locked_clocks_mhz", $"{first}..{second}"),
            _ => ("mem_locked_clocks_mhz", $"{first}..{second}"),
        };
        var allowed = new StringBuilder();
        foreach (var grant in covering)
        {
            var range = kind switch
            {
                ControlKind.PowerLimit => grant.PowerLimitMw,
                ControlKind.GpuLockedClocks => grant.GpuLockedClocksMhz,
                _ => grant.MemLockedClocksMhz,
            };
            allowed.Append(allowed.Length == 0 ? "" : ", ").Append(range!.Value).Append($" (grant '{grant.Name}')");
        }
        return $"{DeniedByPolicy}{rights.Caller} may not set {key} {value} on GPU {gpu}; allowed range: {allowed}";
    }
}
