using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Integration;

/// <summary>Starting a daemon on a <see cref="FakeAmdSmi"/>, or running one that is expected to fail at startup.</summary>
public static class AmdSmiDaemon
{
    public static readonly string[] GpuGroups = ["--enable", "gpu-control,gpu-read"];

    public static Task<DaemonProcess> StartAsync(FakeAmdSmi fake, string backend = "amdsmi", IDictionary<string, string>? environment = null,
        params string[] args) =>
        DaemonProcess.StartAsync(["--gpu-backend", backend, .. GpuGroups, .. args], environment ?? fake.Environment);

    /// <summary>Runs <c>zeusd serve</c> to its exit (startup failures); returns the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IDictionary<string, string> environment, string backend = "amdsmi")
    {
        string directory = DaemonProcess.NewTempDirectory();
        try
        {
            var (code, stdout, stderr) = await DaemonProcess.RunToEndAsync(
                ["serve", "--socket-path", Path.Combine(directory, "zeusd.sock"), "--gpu-backend", backend, .. GpuGroups], environment);
            return (code, stdout + stderr);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
