using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Zeusd.Transports;

/// <summary>
/// Who is on the other end of a Unix-socket connection, as the kernel says (<c>SO_PEERCRED</c>: the process that
/// connected), plus that process's start time so a later process with the same pid is not mistaken for it. Read once
/// per connection, when it is accepted, and kept in the connection's items for every request on it.
/// </summary>
public sealed record ConnectionProcess(int Pid, uint Uid, uint Gid, ulong? StartTime)
{
    private static readonly object ItemKey = new();

    /// <summary>The peer of a request's connection; null over TCP or named pipes, or when not read.</summary>
    public static ConnectionProcess? Of(HttpContext context) =>
        context.Features.Find<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var peer) == true ? peer as ConnectionProcess : null;

    /// <summary>The peer of a connected Unix socket, or null when it has none.</summary>
    public static ConnectionProcess? Read(Socket socket)
    {
        if (PeerUcred.Read(socket) is not { } peer)
        {
            return null;
        }
        // A peer in another pid namespace reads as pid 0: known uid, no process to follow.
        return new ConnectionProcess(peer.Pid, peer.Uid, peer.Gid, peer.Pid > 0 ? ProcessStartTime.Read(peer.Pid) : null);
    }

    /// <summary>Adds the per-connection reader to a Unix-socket listener.</summary>
    public static void ReadOnEveryConnection(ListenOptions listen) => listen.Use(next => connection =>
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket && Read(socket) is { } peer)
        {
            connection.Items[ItemKey] = peer;
        }
        return next(connection);
    });
}
