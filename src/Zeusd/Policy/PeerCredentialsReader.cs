using System.Net.Sockets;
using System.Runtime.InteropServices;
using Zeusd.Transports;

namespace Zeusd.Policy;

/// <summary>
/// Reads a connected Unix socket's peer credentials from the kernel: <see cref="PeerUcred"/> (pid, uid, gid) and
/// <c>SO_PEERGROUPS</c> (its supplementary gids, Linux 4.13+).
/// </summary>
public static class PeerCredentialsReader
{
    private const int SoPeerGroups = 59;
    private const int MaxGroups = 65536; // NGROUPS_MAX

    /// <summary>The peer's credentials, or null when the socket has none (not a Unix socket, not Linux).</summary>
    public static PeerCredentials? Read(Socket socket, Func<uint, string?> userName) =>
        PeerUcred.Read(socket) is { } peer
            ? new PeerCredentials(peer.Uid, peer.Gid, peer.Pid, ReadGroups(socket), userName(peer.Uid))
            : null;

    /// <summary>The supplementary groups; a first small buffer fits nearly everyone, the kernel's maximum fits all.</summary>
    private static uint[] ReadGroups(Socket socket)
    {
        foreach (int capacity in (int[])[64, MaxGroups])
        {
            byte[] buffer = new byte[capacity * sizeof(uint)];
            try
            {
                int length = socket.GetRawSocketOption(PeerUcred.SolSocket, SoPeerGroups, buffer);
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
