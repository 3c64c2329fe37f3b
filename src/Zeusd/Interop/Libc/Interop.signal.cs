using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int SIGHUP = 1;
    public static readonly nint SIG_DFL = 0;
    public static readonly nint SIG_IGN = 1;

    /// <summary>Sets a signal's disposition to default or ignored (never a handler: those are the runtime's to install).</summary>
    [LibraryImport(Name, EntryPoint = "signal")]
    public static partial nint Signal(int signal, nint disposition);
}
