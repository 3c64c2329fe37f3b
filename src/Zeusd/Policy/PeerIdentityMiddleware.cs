using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Zeusd.Interop.Libc;

namespace Zeusd.Policy;

/// <summary>
/// Kestrel connection middleware: reads each new Unix-socket connection's peer credentials once, from the accepted
/// socket, and attaches a <see cref="ConnectionIdentity"/> that every request on the connection sees. User names are
/// cached per uid, so an NSS lookup (possibly LDAP) happens once per user, not per connection.
/// </summary>
public sealed partial class PeerIdentityMiddleware(ILogger<PeerIdentityMiddleware> logger)
{
    private const int NameCacheCapacity = 4096;

    private readonly ConcurrentDictionary<uint, string?> _names = new();

    /// <summary>Adds the middleware to a listener.</summary>
    public void Apply(ListenOptions listen) => listen.Use(next => connection =>
    {
        connection.Features.Set(new ConnectionIdentity(ReadPeer(connection)));
        return next(connection);
    });

    /// <summary>Forgets cached user names (a policy reload is when an admin expects renamed users to show).</summary>
    public void ClearNames() => _names.Clear();

    private PeerCredentials? ReadPeer(ConnectionContext connection)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            return null;
        }
        try
        {
            return PeerCredentialsReader.Read(socket, NameOf);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // Without credentials the connection is an anonymous caller: it gets only what "any caller" grants allow.
            Log.NoCredentials(logger, ex.Message);
            return null;
        }
    }

    private string? NameOf(uint uid)
    {
        if (_names.TryGetValue(uid, out string? name))
        {
            return name;
        }
        name = UserDatabase.NameOf(uid);
        if (_names.Count >= NameCacheCapacity)
        {
            _names.Clear();
        }
        _names[uid] = name;
        return name;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cannot read a connection's peer credentials ({Reason}); it is served as an anonymous caller")]
        public static partial void NoCredentials(ILogger logger, string reason);
    }
}
