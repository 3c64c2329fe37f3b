using Zeusd.Tests.Integration;

namespace Zeusd.Tests.Hosting;

/// <summary>
/// What every release binary must do on a machine without .NET, whatever its architecture: the steps of
/// <see cref="ReleaseBinaryTests"/> and <see cref="Arm64ReleaseBinaryTests"/>. Each takes a <c>runner</c> that is put
/// between the sandbox and the binary (an emulator for a foreign architecture; empty for the host's).
/// </summary>
public static class ReleaseBinaryScenarios
{
    /// <summary>Starts, says READY=1, serves a read and a write (and rejects a bad one), stops on SIGTERM with 0.</summary>
    public static async Task ServeReadWriteAndStopAsync(string binaryPath, string[] runner)
    {
        string dir = DaemonProcess.NewTempDirectory();
        using var listener = new NotifySocketListener(Path.Combine(dir, "notify"));
        string[] prefix = [.. NoDotnetSandbox.Prefix(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Address }), .. runner];
        await using var daemon = await DaemonProcess.StartAsync(
            ["--simulate"], directory: dir, waitUntilReady: false, commandPrefix: prefix, binaryPath: binaryPath);

        Assert.Equal("READY=1", await listener.ReceiveAsync(TimeSpan.FromSeconds(20)));
        using var client = daemon.CreateClient();
        var (status, body, _) = await client.CallAsync("/discover");
        Assert.Equal(200, status);
        Assert.Equal(4, Json.Parse(body).GetProperty("gpus").GetArrayLength());
        Assert.Equal(200, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=1&power_limit_mw=175000&block=true")).Status);
        var limits = Json.Parse((await client.CallAsync("/gpu/get_power_limit?gpu_ids=1")).Body);
        Assert.Equal(175000, limits.GetProperty("1").GetProperty("power_limit_mw").GetInt64());
        Assert.Equal(400, (await client.CallPostAsync("/gpu/set_power_limit?gpu_ids=9&power_limit_mw=175000&block=true")).Status);

        Assert.Equal(0, await daemon.StopAsync());
        Assert.Equal("STOPPING=1", await listener.ReceiveAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary><c>--version</c> prints the version and exits 0.</summary>
    public static async Task PrintsVersionAsync(string binaryPath, string[] runner)
    {
        var (exit, stdout, stderr) = await DaemonProcess.RunToEndAsync(
            ["--version"], commandPrefix: [.. NoDotnetSandbox.Prefix(), .. runner], binaryPath: binaryPath);

        Assert.True(exit == 0, stderr);
        Assert.Equal("zeusd 0.5.0\n", stdout);
    }
}
