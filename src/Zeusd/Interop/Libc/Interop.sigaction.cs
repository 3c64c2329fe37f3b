using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "sigaction", SetLastError = true)]
    private static unsafe partial int SigAction(int signal, void* action, void* oldAction);

    /// <summary>Whether a signal is ignored (SIG_IGN), read without changing it.</summary>
    public static unsafe bool IsIgnored(int signal)
    {
        // struct sigaction starts with its handler on x86-64 and arm64 (the ABIs the daemon is built for); 256 bytes is
        // more than its size on either.
        byte* action = stackalloc byte[256];
        return SigAction(signal, null, action) == 0 && *(nint*)action == SIG_IGN;
    }
}
