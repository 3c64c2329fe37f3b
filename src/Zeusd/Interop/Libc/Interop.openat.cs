using System.Runtime.InteropServices;

namespace Zeusd.Interop.Libc;

internal static partial class Libc
{
    public const int OpenReadOnly = 0x0;          // O_RDONLY
    public const int OpenNoControllingTty = 0x100; // O_NOCTTY
    public const int OpenNonBlocking = 0x800;     // O_NONBLOCK
    // O_DIRECTORY and O_NOFOLLOW differ between architectures (asm-generic/fcntl.h vs arch/arm64's).
    public static readonly int OpenDirectory = IsArm64 ? 0x4000 : 0x10000;   // O_DIRECTORY
    public static readonly int OpenNoFollow = IsArm64 ? 0x8000 : 0x20000;    // O_NOFOLLOW
    public const int OpenCloseOnExec = 0x80000;   // O_CLOEXEC
    public const int OpenPath = 0x200000;         // O_PATH

    private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>openat(2) without <c>O_CREAT</c>; -1 and errno on failure.</summary>
    [LibraryImport(Name, EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int OpenAt(int dirFd, string path, int flags, uint mode);
}
