namespace Zeusd.Policy;

/// <summary>A policy file that cannot be used: unreadable, untrusted, not TOML, or a grant that is wrong.</summary>
public sealed class PolicyException(string message, Exception? inner = null) : Exception(message, inner);
