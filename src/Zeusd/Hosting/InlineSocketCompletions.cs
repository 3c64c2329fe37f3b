namespace Zeusd.Hosting;

/// <summary>
/// Runs the continuations of socket operations on the socket engine's own event threads rather than handing each one
/// to the thread pool, and Kestrel with them (its <c>UnsafePreferInlineScheduling</c> defaults to the same switch).
/// A request to zeusd is a few microseconds of work; the two hand-offs per request (event thread to pool, pool thread
/// waking) cost more than that. Measured with compare.sh: CPU per request about half at 1 connection, 12-15 % less at
/// 64 (BENCHMARKS.md, "Issue 16 targets").
/// </summary>
/// <remarks>
/// The runtime reads the switch only from the environment, once, when the first socket is created, so it is set here
/// before any socket exists. An operator's own value (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>) wins.
/// What this requires of the daemon: nothing on the request path may block an event thread, since it serves every
/// connection assigned to it. Device commands, which can hang in a driver, run on a request's thread only when that
/// thread belongs to the pool (<see cref="Devices.DeviceQueue{TDevice}"/>); on an event thread they go to the device's worker.
/// Connection middleware (peer credentials and their user-name lookup) runs on the pool: Kestrel dispatches each new
/// connection there.
/// </remarks>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns the switch on unless the environment already sets it. Call before the first socket.</summary>
    public static void PreferUnlessSet()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
