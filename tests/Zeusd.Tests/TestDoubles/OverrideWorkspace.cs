using Zeusd.Tests.Integration;

namespace Zeusd.Tests.TestDoubles;

/// <summary>
/// A temp directory for command-override tests: shell scripts that record their argv and do as told, the overrides
/// file, and a log directory every user may write to. Everything is world-traversable, so a daemon dropped to uid
/// 65534 can run the scripts whatever the checkout's mode.
/// </summary>
public sealed class OverrideWorkspace : IDisposable
{
    private const UnixFileMode Traversable = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode Writable = (UnixFileMode)0x1FF;    // 0777

    public OverrideWorkspace()
    {
        Directory = DaemonProcess.NewTempDirectory();
        File.SetUnixFileMode(Directory, Traversable);
        LogDirectory = Path.Combine(Directory, "log");
        System.IO.Directory.CreateDirectory(LogDirectory);
        File.SetUnixFileMode(LogDirectory, Writable);
        Recorder = WriteScript("record", """
            # Appends its name and arguments, each in brackets, to the call log in one write: the daemon may run
            # two overrides at once (one per GPU), and piecewise appends would interleave their lines.
            line="$(basename "$0")"
            for arg in "$@"; do line="$line [$arg]"; done
            printf '%s\n' "$line" >> "$LOG"
            """);
    }

    public string Directory { get; }

    /// <summary>Where scripts write (mode 777).</summary>
    public string LogDirectory { get; }

    public string CallLogPath => Path.Combine(LogDirectory, "calls.log");

    /// <summary>A script that appends <c>record [arg1] [arg2] ...</c> to <see cref="CallLogPath"/> and exits 0.</summary>
    public string Recorder { get; }

    /// <summary>Writes an executable <c>/bin/sh</c> script; <c>$LOG</c> in it is the call log.</summary>
    public string WriteScript(string name, string body)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, $"#!/bin/sh\nLOG='{CallLogPath}'\n{body}\n");
        File.SetUnixFileMode(path, Traversable);
        return path;
    }

    /// <summary>Writes the overrides file (mode 644 unless told otherwise) and returns its path.</summary>
    public string WriteOverrides(string toml, UnixFileMode mode = (UnixFileMode)0x1A4, string name = "overrides.toml")
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, toml);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    /// <summary>A TOML basic string holding <paramref name="text"/>.</summary>
    public static string Toml(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Every recorded invocation so far, one line each.</summary>
    public string[] Calls() => File.Exists(CallLogPath) ? File.ReadAllLines(CallLogPath) : [];

    /// <summary>Waits until <paramref name="count"/> invocations were recorded (non-blocking requests run later).</summary>
    public async Task<string[]> WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Calls().Length < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"expected {count} recorded calls, got:\n{string.Join('\n', Calls())}");
            }
            await Task.Delay(20);
        }
        return Calls();
    }

    public void Dispose()
    {
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
