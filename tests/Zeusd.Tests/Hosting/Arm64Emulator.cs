using System.Runtime.InteropServices;

namespace Zeusd.Tests.Hosting;

/// <summary>
/// How to run a linux-arm64 executable here: directly on an arm64 host; elsewhere under qemu's user-mode emulator
/// (Debian's qemu-user-static), with the arm64 C library of Debian's cross packages (libc6-arm64-cross) as its root
/// for the dynamic loader. The emulator forwards signals, so SIGTERM reaches the daemon.
/// </summary>
public static class Arm64Emulator
{
    public const string LibraryRoot = "/usr/aarch64-linux-gnu";

    public static string[] Runner => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? [] : [Qemu(), "-L", LibraryRoot];

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
