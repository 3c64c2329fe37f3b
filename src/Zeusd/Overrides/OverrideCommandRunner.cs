using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Text;
using Microsoft.Extensions.Logging;
using Zeusd.Compat;
using Zeusd.Devices;
using Zeusd.Interop.Libc;

namespace Zeusd.Overrides;

/// <summary>
/// Runs an override's commands one after another, directly (no shell, no TTY, stdin inherited), and stops at the first
/// failure; earlier commands are not rolled back. Runs on the GPU's queue, which it blocks for the duration.
/// </summary>
/// <param name="pathVariable">Reads the <c>PATH</c> argv[0] is looked up in; the daemon's own by default.</param>
/// <param name="outputReader">
/// Drains one output pipe to its end (kept to <see cref="MaximumCapturedBytes"/>); the default reads it on the thread
/// pool. Tests pass one that starts late, as a busy pool would.
/// </param>
public sealed partial class OverrideCommandRunner(ILogger logger, Func<string?>? pathVariable = null,
    Func<Stream, Task<byte[]>>? outputReader = null)
{
    private readonly Func<string?> _pathVariable = pathVariable ?? (static () => Environment.GetEnvironmentVariable("PATH"));
    private readonly Func<Stream, Task<byte[]>> _outputReader = outputReader ?? ReadOutputAsync;

    /// <summary>How long output is awaited after a command ended, so a leftover child holding the pipes cannot hang the GPU's queue.</summary>
    public static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    /// <summary>How long a killed command may take to be reaped.</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Per stream; the rest is read and dropped, so a chatty command neither blocks nor fills memory.</summary>
    public const int MaximumCapturedBytes = 1 << 20;

    /// <exception cref="DeviceException">A command failed (<see cref="DeviceErrorKind.CommandOverrideFailed"/>).</exception>
    public void Run(OverrideSpec spec, PlaceholderValues values)
    {
        foreach (string[] template in spec.Commands)
        {
            RunCommand([.. template.Select(values.Substitute)], spec);
        }
    }

    private void RunCommand(string[] argv, OverrideSpec spec)
    {
        string commandLine = ShellWords.Join(argv);
        string? executable = ExecutableSearch.Resolve(argv[0], _pathVariable(), out Errno errno);
        if (executable is null)
        {
            throw Failure(commandLine, $"could not be spawned: {IoErrorText.OsError(errno)}", "", "");
        }
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (string argument in argv.AsSpan(1))
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw Failure(commandLine, $"could not be spawned: {IoErrorText.OsError((Errno)ex.NativeErrorCode)}", "", "");
        }

        using (process)
        {
            var stdout = CapturedStream.Start(process.StandardOutput.BaseStream, _outputReader);
            var stderr = CapturedStream.Start(process.StandardError.BaseStream, _outputReader);
            string? reason = WaitForOutcome(process, spec, out bool succeeded);
            var deadline = Stopwatch.GetTimestamp() + (long)(OutputGrace.TotalSeconds * Stopwatch.Frequency);
            string? stdoutText = stdout.Collect(deadline, out string stdoutProblem);
            string? stderrText = stderr.Collect(deadline, out string stderrProblem);

            if (succeeded && spec.ErrorPattern is { } pattern)
            {
                if (stdoutText is null || stderrText is null)
                {
                    reason = "succeeded but its output could not be collected, so error_pattern could not be checked";
                }
                else if (pattern.IsMatch(stdoutText + stderrText))
                {
                    reason = $"succeeded but its output matched error_pattern '{spec.ErrorPatternText}'";
                }
            }
            if (reason is not null)
            {
                throw Failure(commandLine, reason, stdoutText ?? $"<stdout {stdoutProblem}>", stderrText ?? $"<stderr {stderrProblem}>");
            }
            Log.Completed(logger, commandLine, "success");
        }
    }

    /// <summary>Waits for the exit (killing the command on timeout); null if it exited 0, else the failure reason.</summary>
    private static string? WaitForOutcome(Process process, OverrideSpec spec, out bool succeeded)
    {
        succeeded = false;
        bool exited;
        try
        {
            exited = process.WaitForExit(spec.Timeout);
        }
        catch (SystemException ex)
        {
            KillAndReap(process);
            return $"could not be waited on: {Describe(ex)}";
        }
        if (!exited)
        {
            string timedOut = $"timed out after {spec.TimeoutSeconds}s";
            return KillAndReap(process) is { } problem ? $"{timedOut} and {problem}" : timedOut;
        }
        int code = process.ExitCode;
        // .NET reports a child killed by signal N as exit code 128 + N (it keeps no other trace of the signal), so
        // that range is shown as a signal: the usual cause, and how a shell reports a killed command too.
        if (code is > 128 and < 128 + 32)
        {
            return $"was terminated abnormally ({RustExitStatusText.Signal(code - 128)})";
        }
        if (code != 0)
        {
            return $"exited with code {code}";
        }
        succeeded = true;
        return null;
    }

    /// <summary>SIGKILL (the command only, as the original) and reap; null on success, else what went wrong.</summary>
    private static string? KillAndReap(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (Win32Exception ex)
        {
            return $"could not be killed: {IoErrorText.OsError((Errno)ex.NativeErrorCode)}";
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
        try
        {
            return process.WaitForExit(ReapTimeout) ? null : $"could not be reaped: it did not exit within {ReapTimeout.TotalSeconds:0}s of SIGKILL";
        }
        catch (SystemException ex)
        {
            return $"could not be reaped: {Describe(ex)}";
        }
    }

    private static string Describe(Exception ex) =>
        ex is Win32Exception win32 ? IoErrorText.OsError((Errno)win32.NativeErrorCode) : ex.GetType().Name;

    private DeviceException Failure(string commandLine, string reason, string stdout, string stderr)
    {
        Log.Completed(logger, commandLine, reason);
        return new DeviceException(DeviceErrorKind.CommandOverrideFailed,
            $"Override command failed: command '{commandLine}' {reason}; stdout: {stdout}; stderr: {stderr}");
    }

    /// <summary>One output pipe, drained in the background from the moment the command starts.</summary>
    private sealed class CapturedStream
    {
        /// <summary>
        /// How long a reader that has all the output waiting for it may still take: its continuation runs on the
        /// thread pool, which a busy process can leave waiting for more than <see cref="OutputGrace"/> (seen in the
        /// test host, whose tests block pool threads).
        /// </summary>
        private static readonly TimeSpan ReaderGrace = TimeSpan.FromSeconds(5);

        private readonly Stream _pipe;
        private readonly Task<byte[]> _reading;

        private CapturedStream(Stream pipe, Func<Stream, Task<byte[]>> read)
        {
            _pipe = pipe;
            _reading = read(pipe);
        }

        public static CapturedStream Start(Stream pipe, Func<Stream, Task<byte[]>> read) => new(pipe, read);

        /// <summary>The text (invalid UTF-8 replaced), or null and why not, once <paramref name="deadline"/> passed.</summary>
        public string? Collect(long deadline, out string problem)
        {
            problem = "";
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            try
            {
                if (!_reading.Wait(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
                {
                    if (!WritersGone())
                    {
                        problem = $"was still open {OutputGrace.TotalSeconds:0}s after the command ended, likely held by a leftover child process";
                        return null;
                    }
                    if (!_reading.Wait(ReaderGrace))
                    {
                        problem = $"was closed but not read within {(OutputGrace + ReaderGrace).TotalSeconds:0}s of the command's end";
                        return null;
                    }
                }
                return Encoding.UTF8.GetString(_reading.Result);
            }
            catch (AggregateException ex)
            {
                problem = $"could not be read: {Describe(ex.InnerException ?? ex)}";
                return null;
            }
        }

        /// <summary>
        /// Whether every writer has closed the pipe (the kernel's POLLHUP), so the rest of the output and its end are
        /// already there: only a leftover child still holding the pipe makes it worth giving up on.
        /// </summary>
        private unsafe bool WritersGone()
        {
            if (OperatingSystem.IsWindows() || _pipe is not PipeStream { SafePipeHandle: var handle })
            {
                return false;
            }
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var fd = new Libc.PollFd { Fd = (int)handle.DangerousGetHandle(), Events = 0 };
                return Libc.Poll(&fd, 1, 0) == 1 && (fd.Revents & Libc.PollHup) != 0;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }
    }

    /// <summary>Reads a pipe to its end, keeping the first <see cref="MaximumCapturedBytes"/>, dropping the rest.</summary>
    public static async Task<byte[]> ReadOutputAsync(Stream pipe)
    {
        var captured = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await pipe.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            int keep = Math.Min(read, MaximumCapturedBytes - (int)captured.Length);
            captured.Write(buffer, 0, keep);
        }
        return captured.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "GPU override command completed: command={Command} outcome={Outcome}")]
        public static partial void Completed(ILogger logger, string command, string outcome);
    }
}
