using System.Net.Sockets;
using Zeusd.Policy;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Policy;

/// <summary>The kernel's peer credentials of an accepted Unix-socket connection, read through SO_PEERCRED/SO_PEERGROUPS.</summary>
public sealed class PeerCredentialsReaderTests : IDisposable
{
    private readonly string _dir = DaemonProcess.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Read_ConnectionFromThisProcess_IsThisProcessesCredentials()
    {
        string path = Path.Combine(_dir, "peer.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        using var accepted = await listener.AcceptAsync();

        var peer = PeerCredentialsReader.Read(accepted, uid => uid == 0 ? "root" : null);

        Assert.NotNull(peer);
        Assert.Equal(0u, peer.Uid);
        Assert.Equal(0u, peer.Gid);
        Assert.Equal(Environment.ProcessId, peer.Pid);
        Assert.Equal("root", peer.UserName);
        Assert.True(peer.IsRoot);
        Assert.Equal(File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Groups:", StringComparison.Ordinal))
            .Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(uint.Parse).Order(), peer.SupplementaryGroups.Order());
    }

    [Fact]
    public void Read_TcpSocket_HasNoPeerCredentials()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Assert.Null(PeerCredentialsReader.Read(socket, _ => null));
    }
}
