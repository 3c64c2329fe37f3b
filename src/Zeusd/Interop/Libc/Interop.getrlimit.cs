using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int ResourceOpenFiles = 7; // RLIMIT_NOFILE

    /// <summary><c>struct rlimit</c>: two <c>rlim_t</c> (64-bit on every 64-bit Linux).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport(Name, EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetResourceLimit(int resource, out ResourceLimit limit);
}
