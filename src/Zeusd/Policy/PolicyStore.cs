using Microsoft.Extensions.Logging;

namespace Zeusd.Policy;

/// <summary>
/// The policy in force, replaced whole on reload: a valid file takes effect at once (connections recompute their rights
/// on their next request); an invalid one is logged and the old policy stays.
/// </summary>
public sealed partial class PolicyStore
{
    private readonly ILogger _logger;
    private AccessPolicy _current;

    /// <summary>Loads the file at startup; a <see cref="PolicyException"/> there stops the daemon.</summary>
    public PolicyStore(string path, ILogger<PolicyStore> logger)
    {
        Path = path;
        _logger = logger;
        _current = AccessPolicy.Load(path);
        LogLoaded(_current, "Loaded");
    }

    public string Path { get; }

    public AccessPolicy Current => Volatile.Read(ref _current);

    /// <summary>Re-reads the file; returns whether it replaced the policy.</summary>
    public bool Reload()
    {
        try
        {
            var policy = AccessPolicy.Load(Path);
            Volatile.Write(ref _current, policy);
            LogLoaded(policy, "Reloaded");
            return true;
        }
        catch (PolicyException ex)
        {
            Log.ReloadFailed(_logger, ex.Message);
            return false;
        }
    }

    private void LogLoaded(AccessPolicy policy, string verb)
    {
        Log.Loaded(_logger, verb, policy.Path, policy.Grants.Count);
        foreach (var grant in policy.Grants)
        {
            Log.Grant(_logger, GrantSummary.Of(grant));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Verb} policy {Path}: {Count} grant(s)")]
        public static partial void Loaded(ILogger logger, string verb, string path, int count);

        [LoggerMessage(2, LogLevel.Information, "Policy grant {Grant}")]
        public static partial void Grant(ILogger logger, string grant);

        [LoggerMessage(3, LogLevel.Error, "Policy reload failed; the previous policy stays in force: {Reason}")]
        public static partial void ReloadFailed(ILogger logger, string reason);
    }
}
