namespace Zeusd.Restore;

/// <summary>One process for the whole uptime: its pid and its start time (a reused pid has a later start time).</summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime);
