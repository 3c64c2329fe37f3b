using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Zeusd.Policy;

/// <summary>
/// Reads a connected Unix socket's peer credentials from the kernel: <c>SO_PEERCRED</c> (<c>struct ucred</c>: pid,
/// uid, gid, as they were when the peer connected) and <c>SO_PEERGROUPS</c> (its supplementary gids, Linux 4.13+),
/// through <see cref="Socket.GetRawSocketOption"/>, so no P/Invoke is needed.
/// </summary>
public static class PeerCredentialsReader
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int SoPeerGroups = 59;
    private const int UcredSize = 12;
    private const int MaxGroups = 65536; // NGROUPS_MAX

    /// <summary>The peer's credentials, or null when the socket has none (not a Unix socket, not Linux).</summary>
    public static PeerCredentials? Read(Socket socket, Func<uint, string?> userName)
    {
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix)
        {
            return null;
        }
        Span<byte> ucred = stackalloc byte[UcredSize];
        if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != UcredSize)
        {
            return null;
        }
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } in native byte order.
        int pid = MemoryMarshal.Read<int>(ucred);
        uint uid = MemoryMarshal.Read<uint>(ucred[4..]);
        uint gid = MemoryMarshal.Read<uint>(ucred[8..]);
        return new PeerCredentials(uid, gid, pid, ReadGroups(socket), userName(uid));
    }

    /// <summary>The supplementary groups; a first small buffer fits nearly everyone, the kernel's maximum fits all.</summary>
    private static uint[] ReadGroups(Socket socket)
    {
        foreach (int capacity in (int[])[64, MaxGroups])
        {
            byte[] buffer = new byte[capacity * sizeof(uint)];
            try
            {
                int length = socket.GetRawSocketOption(SolSocket, SoPeerGroups, buffer);
                return MemoryMarshal.Cast<byte, uint>(buffer.AsSpan(0, length)).ToArray();
            }
            catch (SocketException) when (capacity < MaxGroups)
            {
                // ERANGE: more groups than fit; try again with room for the maximum.
            }
        }
        return [];
    }
}
