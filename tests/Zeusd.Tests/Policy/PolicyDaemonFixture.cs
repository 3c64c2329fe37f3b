using Zeusd.Tests.Integration;
using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Policy;

/// <summary>
/// One <c>zeusd serve --policy</c> on the fake NVML (four GPUs), run as root, with its socket (mode 666) in a
/// traversable directory so clients started as other users can connect. The policy:
/// ml-team (group 2000) controls GPUs 0-1 within bounds, without persistence; readers (nobody) only read;
/// gpu3-ops (uid 1500) controls GPU 3 only and may not read.
/// </summary>
public sealed class PolicyDaemonFixture : DaemonFixture
{
    public const string Policy = """
        [[grant]]
        name = "ml-team"
        groups = [2000]
        scopes = ["gpu-read", "gpu-control"]
        gpus = [0, 1]
        power_limit_mw = { min = 150000, max = 300000 }
        gpu_locked_clocks_mhz = { min = 900, max = 1980 }
        mem_locked_clocks_mhz = { min = 800, max = 1593 }
        persistence_mode = false

        [[grant]]
        name = "readers"
        users = ["nobody"]
        scopes = ["gpu-read"]

        [[grant]]
        name = "gpu3-ops"
        users = [1500]
        scopes = ["gpu-control"]
        gpus = [3]
        """;

    /// <summary>In ml-team through a supplementary group.</summary>
    public static readonly PeerUser MlMember = new("1001", "1001", "2000");

    /// <summary>In ml-team through the primary group.</summary>
    public static readonly PeerUser MlPrimary = new("1002", "2000");

    public static readonly PeerUser Ops = new("1500", "1500");

    /// <summary>Matches no grant.</summary>
    public static readonly PeerUser Stranger = new("1600", "1600");

    public FakeNvml Nvml { get; } = new(gpuCount: 4);

    public string Socket => Daemon.SocketPath!;

    protected override Task<DaemonProcess> StartAsync()
    {
        string dir = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        string policy = PolicyFiles.Write(dir, Policy);
        return DaemonProcess.StartAsync(
            ["--gpu-backend", "nvml", "--enable", "gpu-control,gpu-read", "--policy", policy], Nvml.Environment, directory: dir);
    }

    public Task<(int Status, string Body)> Get(PeerUser? user, string path) => PeerClient.GetAsync(Socket, user, path);

    public Task<(int Status, string Body)> Post(PeerUser? user, string path) => PeerClient.PostAsync(Socket, user, path);

    protected override void DisposeResources() => Nvml.Dispose();
}
