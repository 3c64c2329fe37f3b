using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    /// <summary>pidfd_open(2)'s number, the same on x86-64 and arm64 (the unified syscall table).</summary>
    private const long SysPidfdOpen = 434;

    /// <summary>
    /// pidfd_open(2): a descriptor that becomes readable when the process exits (Linux 5.3). Called through syscall(2)
    /// because glibc has a wrapper only since 2.36.
    /// </summary>
    public static int PidfdOpen(int pid) => (int)Syscall(SysPidfdOpen, pid, 0);

    [LibraryImport(Name, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long pid, long flags);
}
