using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Zeusd.Tests.Integration;

/// <summary>
/// The published zeusd running as a child process on a private Unix socket (or TCP port) in a temp directory.
/// Tests talk HTTP to it exactly as clients do.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process, string directory, string? socketPath)
    {
        _process = process;
        Directory = directory;
        SocketPath = socketPath;
    }

    /// <summary>The temp directory the daemon's socket (and anything else a test needs) lives in.</summary>
    public string Directory { get; }

    public string? SocketPath { get; }

    public int Pid => _process.Id;

    /// <summary>Everything the daemon printed so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public Task<int> Exited => _exited.Task;

    /// <summary>
    /// Waits until the daemon's output contains <paramref name="text"/> (logs are written asynchronously) and returns
    /// the output; fails with the output so far after <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            string output = Output;
            if (output.Contains(text, StringComparison.Ordinal))
            {
                return output;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"zeusd never printed \"{text}\". Output:\n{output}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The published daemon (or <c>ZEUSD_BIN</c> when set, to test another build).</summary>
    public static string BinaryPath =>
        Environment.GetEnvironmentVariable("ZEUSD_BIN") is { Length: > 0 } bin ? bin : TestBuildPath;

    /// <summary>The framework-dependent daemon the test build publishes.</summary>
    public static string TestBuildPath
    {
        get
        {
            string dir = typeof(DaemonProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "PublishedDaemonDir").Value!;
            if (!Path.IsPathRooted(dir))
            {
                dir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", dir);
            }
            return Path.GetFullPath(Path.Combine(dir, "zeusd"));
        }
    }

    /// <summary>A fresh temp directory for a test's files.</summary>
    public static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "zeusd-test-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Starts <c>zeusd serve --socket-path &lt;tmp&gt;/zeusd.sock ARGS</c> and waits until it answers <c>/discover</c>
    /// (<paramref name="subcommand"/> null: the first command line, without <c>serve</c>).
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(
        IEnumerable<string> args, IDictionary<string, string>? environment = null, string? directory = null,
        string? socketPath = null, bool waitUntilReady = true, string[]? commandPrefix = null, string? workingDirectory = null,
        string? binaryPath = null, string? subcommand = "serve")
    {
        directory ??= NewTempDirectory();
        var argList = args.ToList();
        bool tcp = argList.Contains("tcp");
        if (!tcp && !argList.Contains("--socket-path"))
        {
            socketPath ??= Path.Combine(directory, "zeusd.sock");
            argList.InsertRange(0, ["--socket-path", socketPath]);
        }
        else if (!tcp)
        {
            socketPath ??= argList[argList.IndexOf("--socket-path") + 1];
        }
        if (subcommand is not null)
        {
            argList.Insert(0, subcommand);
        }
        var daemon = Launch(argList, environment, directory, socketPath, commandPrefix, workingDirectory, binaryPath);
        if (waitUntilReady)
        {
            await daemon.WaitUntilReadyAsync();
        }
        return daemon;
    }

    /// <summary>Runs zeusd with any arguments (for CLI tests) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToEndAsync(
        IEnumerable<string> args, IDictionary<string, string>? environment = null, string[]? commandPrefix = null,
        TimeSpan? timeout = null, string? binaryPath = null)
    {
        var info = CreateStartInfo(args, environment, commandPrefix, binaryPath);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"zeusd {string.Join(' ', args)} did not exit");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo CreateStartInfo(IEnumerable<string> args, IDictionary<string, string>? environment, string[]? commandPrefix,
        string? binaryPath = null)
    {
        binaryPath ??= BinaryPath;
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (commandPrefix is { Length: > 0 })
        {
            info.FileName = commandPrefix[0];
            foreach (var part in commandPrefix.Skip(1))
            {
                info.ArgumentList.Add(part);
            }
            info.ArgumentList.Add(binaryPath);
        }
        else
        {
            info.FileName = binaryPath;
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("ZEUSD_LOG");
        info.Environment.Remove("RUST_LOG");
        // A test runner that systemd started (CI as a service) must not hand its journal/notify variables to daemons.
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("JOURNAL_STREAM");
        info.Environment.Remove("INVOCATION_ID");
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        return info;
    }

    private static DaemonProcess Launch(List<string> args, IDictionary<string, string>? environment, string directory,
        string? socketPath, string[]? commandPrefix, string? workingDirectory, string? binaryPath)
    {
        var info = CreateStartInfo(args, environment, commandPrefix, binaryPath);
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process, directory, socketPath);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Exited += (_, _) => daemon._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Waits until the daemon answers <c>GET /discover</c> with 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        using var client = CreateClient();
        while (DateTime.UtcNow < deadline)
        {
            if (_exited.Task.IsCompleted)
            {
                throw new InvalidOperationException($"zeusd exited with {_exited.Task.Result} before it was ready:\n{Output}");
            }
            try
            {
                using var response = await client.GetAsync("/discover");
                if ((int)response.StatusCode == 200)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"zeusd did not become ready:\n{Output}");
    }

    /// <summary>TCP address when started with <c>--mode tcp</c>; set by the test.</summary>
    public string? TcpAddress { get; init; }

    /// <summary>An HTTP client bound to the daemon's socket; URLs are <c>http://localhost/...</c>, as the Python client builds them.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        SocketPath is not null ? UnixSocketHttp.CreateClient(SocketPath, timeout) : new HttpClient
        {
            BaseAddress = new Uri("http://" + (TcpAddress ?? throw new InvalidOperationException("No socket path and no TCP address"))),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            Posix.Kill(_process.Id, Posix.SigTerm);
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Posix.Kill(_process.Id, Posix.SigTerm);
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
