namespace Zeusd.Policy;

/// <summary>
/// A loaded <c>--policy</c> file: its grants, in file order. A caller's rights are the union of the grants that match it;
/// a policy object never changes (a reload replaces it), so rights computed from it may be cached per connection.
/// </summary>
public sealed class AccessPolicy
{
    private AccessPolicy(string path, IReadOnlyList<Grant> grants)
    {
        Path = path;
        Grants = grants;
    }

    public string Path { get; }

    public IReadOnlyList<Grant> Grants { get; }

    /// <summary>Reads, checks and parses the file; every problem is a <see cref="PolicyException"/> naming the file.</summary>
    public static AccessPolicy Load(string path)
    {
        const string What = "policy file";
        string text = TrustedFile.ReadText(path, What);
        try
        {
            return new AccessPolicy(path, PolicyParser.Parse(text, path));
        }
        catch (PolicyException ex)
        {
            throw new PolicyException($"{What} '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>A policy from text already in memory (tests); the same rules apply.</summary>
    internal static AccessPolicy FromText(string text) => new("<text>", PolicyParser.Parse(text, "<text>"));

    /// <summary>The rights of a caller: a root peer is never restricted; everyone else gets the matching grants.</summary>
    public CallerRights RightsOf(PeerCredentials? peer, string? subject)
    {
        if (peer is { IsRoot: true })
        {
            return CallerRights.Unrestricted(this, peer, subject);
        }
        var matched = new List<Grant>();
        foreach (var grant in Grants)
        {
            if (grant.Matches(peer, subject))
            {
                matched.Add(grant);
            }
        }
        return new CallerRights(this, peer, subject, [.. matched], unrestricted: false);
    }
}
