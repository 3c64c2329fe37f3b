namespace Zeusd.Common;

/// <summary>A reason the daemon cannot start; printed as <c>Error: &lt;message&gt;</c> with exit code 1.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
