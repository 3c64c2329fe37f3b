using System.Runtime.InteropServices;

namespace Zeusd.Tests.Hosting;

/// <summary>
/// How to run a linux-arm64 executable here: directly on an arm64 host; elsewhere under qemu's user-mode emulator
/// (Debian's qemu-user-static), starting the arm64 dynamic loader of Debian's cross packages (libc6-arm64-cross)
/// explicitly with that package's library directory. The emulator forwards signals, so SIGTERM reaches the daemon.
/// <para>
/// Not <c>qemu -L /usr/aarch64-linux-gnu</c>: that option makes qemu try every absolute path the program opens below
/// the prefix first, so the daemon's <c>openat(AT_FDCWD, "/")</c> opened the sysroot, and its socket landed in
/// <c>/usr/aarch64-linux-gnu/tmp/...</c> while clients looked in <c>/tmp/...</c>.
/// </para>
/// </summary>
public static class Arm64Emulator
{
    public const string LibraryRoot = "/usr/aarch64-linux-gnu";

    public static string[] Runner => RuntimeInformation.OSArchitecture == Architecture.Arm64
        ? []
        : [Qemu(), $"{LibraryRoot}/lib/ld-linux-aarch64.so.1", "--library-path", $"{LibraryRoot}/lib"];

    private static string Qemu()
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':');
        foreach (string name in new[] { "qemu-aarch64-static", "qemu-aarch64" })
        {
            foreach (string dir in path)
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException("qemu-aarch64-static not found on PATH (Debian: apt-get install qemu-user-static)");
    }
}
