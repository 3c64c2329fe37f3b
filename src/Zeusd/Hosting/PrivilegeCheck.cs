using Zeusd.Common;
using Zeusd.Configuration;
using Zeusd.Interop.Libc;

namespace Zeusd.Hosting;

/// <summary>
/// Root-only groups need root on Unix; RAPL exists only on Linux (contract §2, step 4). The simulated node touches no
/// hardware and needs neither; <c>--allow-unprivileged</c> waives root as the first daemon did (privileged calls then
/// fail per request).
/// </summary>
public static class PrivilegeCheck
{
    /// <exception cref="StartupException">An enabled group cannot work with this process's privileges or platform.</exception>
    public static void Require(ServeOptions options)
    {
        if (options.IsEnabled(ApiGroup.CpuRead) && !OperatingSystem.IsLinux())
        {
            throw new StartupException(
                "API group 'cpu-read' is only supported on Linux. Remove it from --enable to start zeusd on this platform.");
        }
        if (options.Simulate || options.AllowUnprivileged || OperatingSystem.IsWindows() || Privileges.IsRoot)
        {
            return;
        }
        foreach (var group in options.Enable)
        {
            if (group.RequiresRoot())
            {
                throw new StartupException($"API group '{group.WireName()}' requires root but Zeusd is not running as root");
            }
        }
    }
}
