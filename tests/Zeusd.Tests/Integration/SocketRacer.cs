using System.Diagnostics;
using System.Reflection;

namespace Zeusd.Tests.Integration;

/// <summary>
/// tests/native/socketracer run as the unprivileged user (nobody) through setpriv: swaps a socket for a symlink the
/// moment it appears, or connects to it as fast as it can. Always bounded by time.
/// </summary>
public sealed class SocketRacer : IAsyncDisposable
{
    private readonly Process _process;

    private SocketRacer(Process process) => _process = process;

    /// <summary>Whenever <paramref name="socketPath"/> is a socket, replaces it with a symlink to <paramref name="target"/>.</summary>
    public static SocketRacer Swap(string socketPath, string target, TimeSpan duration) =>
        Start("swap", socketPath, target, ((long)duration.TotalMilliseconds).ToString());

    /// <summary>Connects to <paramref name="socketPath"/> in a loop; <see cref="FinishAsync"/> says how often it got in.</summary>
    public static SocketRacer Connect(string socketPath, TimeSpan duration) =>
        Start("connect", socketPath, ((long)duration.TotalMilliseconds).ToString());

    /// <summary>Waits for the racer to run out of time and returns its counters (<c>swaps</c>, <c>connected</c>, <c>attempts</c>).</summary>
    public async Task<IReadOnlyDictionary<string, long>> FinishAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string stdout = await _process.StandardOutput.ReadToEndAsync(cts.Token);
        await _process.WaitForExitAsync(cts.Token);
        Assert.True(_process.ExitCode == 0, $"socketracer failed: {await _process.StandardError.ReadToEndAsync()}");
        return stdout.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(kv => kv[0], kv => long.Parse(kv[1]));
    }

    /// <summary>Ends the racer now (SIGTERM) and returns its counters.</summary>
    public Task<IReadOnlyDictionary<string, long>> StopAsync()
    {
        Posix.Kill(_process.Id, Posix.SigTerm);
        return FinishAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static SocketRacer Start(params string[] args)
    {
        // Copied next to the test's files: the checkout may be in a directory nobody cannot enter.
        string copy = Path.Combine(DaemonProcess.NewTempDirectory(), "socketracer");
        File.Copy(Path.Combine(BuiltDirectory, "socketracer"), copy);
        File.SetUnixFileMode(Path.GetDirectoryName(copy)!, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(copy, (UnixFileMode)Convert.ToInt32("755", 8));
        var info = new ProcessStartInfo(Unprivileged.Prefix[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string part in Unprivileged.Prefix.Skip(1).Append(copy).Concat(args))
        {
            info.ArgumentList.Add(part);
        }
        return new SocketRacer(Process.Start(info)!);
    }

    private static string BuiltDirectory
    {
        get
        {
            string dir = typeof(SocketRacer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "SocketRacerDir").Value!;
            return Path.IsPathRooted(dir) ? dir : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", dir));
        }
    }
}
