using Zeusd.Auth;
using Zeusd.Tests.Integration;
using Zeusd.Configuration;

namespace Zeusd.Tests.Auth;

/// <summary>
/// Four simulated daemons: two complementary sets of enabled groups ({gpu-read} and {gpu-control, cpu-read}), each
/// with authentication off and on, so every group is both enabled and disabled under both auth modes.
/// </summary>
public sealed class AuthMatrixFixture : IAsyncLifetime
{
    public static readonly ApiGroup[] ReadOnlyGroups = [ApiGroup.GpuRead];
    public static readonly ApiGroup[] ControlAndCpuGroups = [ApiGroup.GpuControl, ApiGroup.CpuRead];

    private readonly Dictionary<(string Groups, bool Auth), (DaemonProcess Daemon, HttpClient Client)> _daemons = [];

    public byte[] Key { get; } = KeyFiles.NewKey();

    public static ApiGroup[] GroupsOf(string name) => name == "gpu-read" ? ReadOnlyGroups : ControlAndCpuGroups;

    public async Task InitializeAsync()
    {
        string keyDir = DaemonProcess.NewTempDirectory();
        string keyPath = KeyFiles.Write(keyDir, Key);
        var starts = new List<Task<((string, bool), DaemonProcess)>>();
        foreach (string groups in new[] { "gpu-read", "gpu-control,cpu-read" })
        {
            foreach (bool auth in new[] { false, true })
            {
                List<string> args = ["--simulate", "--enable", groups];
                if (auth)
                {
                    args.AddRange(["--signing-key-path", keyPath]);
                }
                starts.Add(StartAsync((groups, auth), args));
            }
        }
        foreach (var ((groups, auth), daemon) in await Task.WhenAll(starts))
        {
            _daemons[(groups, auth)] = (daemon, daemon.CreateClient());
        }
    }

    private static async Task<((string, bool), DaemonProcess)> StartAsync((string, bool) key, List<string> args) =>
        (key, await DaemonProcess.StartAsync(args));

    public HttpClient Client(string groups, bool auth) => _daemons[(groups, auth)].Client;

    public string Issue(string user, ApiGroup[] scopes) => TokenIssuer.Create(SigningKey.FromBytes(Key), user, scopes, null);

    public async Task DisposeAsync()
    {
        foreach (var (daemon, client) in _daemons.Values)
        {
            client.Dispose();
            await daemon.DisposeAsync();
        }
    }
}
