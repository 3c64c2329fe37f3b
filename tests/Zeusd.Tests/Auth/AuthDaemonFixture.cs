using Zeusd.Auth;
using Zeusd.Tests.Integration;
using Zeusd.Configuration;

namespace Zeusd.Tests.Auth;

/// <summary>
/// One simulated daemon with authentication on (every group enabled, debug logging), shared by a test class, plus
/// its key so tests can mint tokens.
/// </summary>
public sealed class AuthDaemonFixture : DaemonFixture
{
    public byte[] Key { get; } = KeyFiles.NewKey();

    public string KeyPath { get; private set; } = null!;

    protected override Task<DaemonProcess> StartAsync()
    {
        string dir = DaemonProcess.NewTempDirectory();
        KeyPath = KeyFiles.Write(dir, Key);
        return DaemonProcess.StartAsync(["--simulate", "--signing-key-path", KeyPath, "--log-level", "debug"], directory: dir);
    }

    public string Issue(string user, ApiGroup[] scopes, long? exp = null) =>
        TokenIssuer.Create(SigningKey.FromBytes(Key), user, scopes, (ulong?)exp);
}
