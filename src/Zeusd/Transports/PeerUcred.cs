using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Zeusd.Transports;

/// <summary>
/// The kernel's <c>SO_PEERCRED</c> of a connected Unix socket (<c>struct ucred</c>: pid, uid, gid, as they were when
/// the peer connected), through <see cref="Socket.GetRawSocketOption"/>, so no P/Invoke is needed. The one reader of
/// it: the restore feature's <see cref="ConnectionProcess"/> and the policy's peer credentials both start here.
/// </summary>
public readonly record struct PeerUcred(int Pid, uint Uid, uint Gid)
{
    public const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int UcredSize = 12;

    /// <summary>Null when the socket has none (not a Unix socket, not Linux, already closed).</summary>
    public static PeerUcred? Read(Socket socket)
    {
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix)
        {
            return null;
        }
        Span<byte> ucred = stackalloc byte[UcredSize];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != UcredSize)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } in native byte order.
        return new PeerUcred(MemoryMarshal.Read<int>(ucred), MemoryMarshal.Read<uint>(ucred[4..]), MemoryMarshal.Read<uint>(ucred[8..]));
    }
}
