namespace Zeusd.Interop.Libc;

/// <summary>Whether this process can do what only root can.</summary>
internal static class Privileges
{
    /// <summary>True when the effective uid is 0 (Unix). On Windows there is no such check: NVML answers 403 instead.</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && Libc.GetEffectiveUserId() == 0;

    public static uint EffectiveUserId => OperatingSystem.IsWindows() ? uint.MaxValue : Libc.GetEffectiveUserId();
}
