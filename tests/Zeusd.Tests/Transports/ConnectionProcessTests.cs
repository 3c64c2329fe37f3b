using System.Net.Sockets;
using Zeusd.Interop.Libc;
using Zeusd.Tests.Integration;
using Zeusd.Transports;

namespace Zeusd.Tests.Transports;

public sealed class ConnectionProcessTests
{
    [Fact]
    public async Task Read_AcceptedUnixConnection_NamesTheConnectingProcess()
    {
        string dir = DaemonProcess.NewTempDirectory();
        try
        {
            var endpoint = new UnixDomainSocketEndPoint(Path.Combine(dir, "s.sock"));
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(endpoint);
            listener.Listen();
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(endpoint);
            using var accepted = await listener.AcceptAsync();

            var peer = ConnectionProcess.Read(accepted);

            Assert.Equal(new ConnectionProcess(Environment.ProcessId, Privileges.EffectiveUserId, peer!.Gid,
                ProcessStartTime.Read(Environment.ProcessId)), peer);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Read_TcpConnection_IsNull()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var accepted = await listener.AcceptAsync();

        Assert.Null(ConnectionProcess.Read(accepted));
    }
}
