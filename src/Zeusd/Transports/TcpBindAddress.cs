using System.Net;
using System.Net.Sockets;
using Zeusd.Common;

namespace Zeusd.Transports;

/// <summary><c>--tcp-bind-address</c>: <c>host:port</c>, where the host is an IP literal or a name the OS resolves.</summary>
public static class TcpBindAddress
{
    /// <param name="what">What the address is, in error messages.</param>
    public static IPEndPoint[] Resolve(string address, string what = "TCP bind address")
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(address.AsSpan(colon + 1), out ushort port))
        {
            throw new StartupException($"Invalid {what} '{address}': expected host:port, e.g. 127.0.0.1:4938");
        }
        string host = address[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        if (IPAddress.TryParse(host, out var ip))
        {
            return [new IPEndPoint(ip, port)];
        }
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            if (addresses.Length == 0)
            {
                throw new StartupException($"Invalid {what} '{address}': '{host}' did not resolve");
            }
            return [.. addresses.Distinct().Select(a => new IPEndPoint(a, port))];
        }
        catch (SocketException ex)
        {
            throw new StartupException($"Invalid {what} '{address}': {ex.Message}", ex);
        }
    }
}
