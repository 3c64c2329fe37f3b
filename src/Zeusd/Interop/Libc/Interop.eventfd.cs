using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int EfdCloexec = 0x80000;
    public const int EfdNonblock = 0x800;

    /// <summary>eventfd(2): a counter a thread blocked in poll(2) can be woken through.</summary>
    [LibraryImport(Name, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);
}
