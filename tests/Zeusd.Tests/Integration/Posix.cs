using System.Runtime.InteropServices;
using System.Text;

namespace Zeusd.Tests.Integration;

/// <summary>The few POSIX calls tests need (signals to the daemon, a socket file that outlives its socket).</summary>
public static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigInt = 2;
    public const int SigHup = 1;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static unsafe partial int Bind(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int ChownNative(string path, uint owner, uint group);

    public static void Chown(string path, uint owner, uint group)
    {
        if (ChownNative(path, owner, group) != 0)
        {
            throw new IOException($"chown({path}) failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>
    /// Leaves a socket file that nobody listens on, as a crashed daemon does. (.NET's Socket unlinks its file on
    /// dispose, so this goes through libc.)
    /// </summary>
    public static unsafe void CreateStaleSocket(string path)
    {
        const int AfUnix = 1, SockStream = 1;
        int fd = Socket(AfUnix, SockStream, 0);
        if (fd < 0)
        {
            throw new IOException($"socket() failed: {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            var address = new byte[110];
            address[0] = AfUnix; // sun_family (little-endian short)
            Encoding.UTF8.GetBytes(path).CopyTo(address, 2);
            fixed (byte* p = address)
            {
                if (Bind(fd, p, address.Length) != 0)
                {
                    throw new IOException($"bind({path}) failed: {Marshal.GetLastPInvokeError()}");
                }
            }
        }
        finally
        {
            Close(fd);
        }
    }
}
