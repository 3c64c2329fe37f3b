using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Zeusd.Interop.Libc;
using Zeusd.Transports;

namespace Zeusd.Restore;

/// <summary>
/// Tells when a process exits, without polling: one thread blocks in poll(2) on a pidfd per watched process (readable
/// once it exits) and an eventfd that wakes it when the set changes or the watcher stops. A pid is checked against its
/// start time after its pidfd is open, so a process that already exited and whose pid was reused is reported as exited,
/// not followed. (.NET has no pidfd API and Process.Exited works only for child processes; hence the hand-written loop.)
/// </summary>
public sealed partial class ProcessExitWatcher : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ProcessIdentity, int> _watched = [];
    private readonly List<int> _toClose = [];
    private readonly Action<ProcessIdentity> _exited;
    private readonly ILogger _logger;
    private readonly int _wake;
    private readonly Thread _thread;
    private bool _stopping;

    private ProcessExitWatcher(int wake, Action<ProcessIdentity> exited, ILogger logger)
    {
        _wake = wake;
        _exited = exited;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "zeusd process exit watcher" };
        _thread.Start();
    }

    /// <summary>Starts the watcher; null (with a warning) where the kernel has no pidfd_open (before Linux 5.3).</summary>
    /// <param name="exited">Called on a pool thread once per watched process that exits.</param>
    public static ProcessExitWatcher? TryStart(Action<ProcessIdentity> exited, ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        int probe = Libc.PidfdOpen(Environment.ProcessId);
        if (probe < 0)
        {
            Log.Unsupported(logger, Marshal.GetLastPInvokeError());
            return null;
        }
        Libc.Close(probe);
        int wake = Libc.EventFd(0, Libc.EfdCloexec | Libc.EfdNonblock);
        if (wake < 0)
        {
            Log.Unsupported(logger, Marshal.GetLastPInvokeError());
            return null;
        }
        return new ProcessExitWatcher(wake, exited, logger);
    }

    /// <summary>Follows <paramref name="process"/> until it exits (idempotent); a process already gone is reported at once.</summary>
    public void Watch(ProcessIdentity process)
    {
        lock (_lock)
        {
            if (_stopping || _watched.ContainsKey(process))
            {
                return;
            }
            int fd = Libc.PidfdOpen(process.Pid);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != (int)Errno.ESRCH)
                {
                    Log.CannotWatch(_logger, process.Pid, errno);
                    return;
                }
            }
            // The pidfd names whatever process has this pid now: if it is not the caller, the caller is gone.
            else if (ProcessStartTime.Read(process.Pid) != process.StartTime)
            {
                Libc.Close(fd);
                fd = -1;
            }
            if (fd < 0)
            {
                Report(process);
                return;
            }
            _watched.Add(process, fd);
        }
        Wake();
    }

    /// <summary>Stops following <paramref name="process"/> (it owns nothing any more).</summary>
    public void Unwatch(ProcessIdentity process)
    {
        lock (_lock)
        {
            if (!_watched.Remove(process, out int fd))
            {
                return;
            }
            // Closed by the poll thread once poll(2) returned, so a descriptor number is never reused under it.
            _toClose.Add(fd);
        }
        Wake();
    }

    private void Report(ProcessIdentity process) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Item1._exited(state.process), (this, process), preferLocal: false);

    private unsafe void Wake()
    {
        ulong one = 1;
        Libc.Write(_wake, &one, sizeof(ulong));
    }

    private unsafe void Run()
    {
        var polled = new List<(ProcessIdentity Process, int Fd)>();
        while (true)
        {
            lock (_lock)
            {
                foreach (int fd in _toClose)
                {
                    Libc.Close(fd);
                }
                _toClose.Clear();
                if (_stopping)
                {
                    return;
                }
                polled.Clear();
                foreach (var (process, fd) in _watched)
                {
                    polled.Add((process, fd));
                }
            }
            var fds = new Libc.PollFd[polled.Count + 1];
            fds[0] = new Libc.PollFd { Fd = _wake, Events = Libc.PollIn };
            for (int i = 0; i < polled.Count; i++)
            {
                fds[i + 1] = new Libc.PollFd { Fd = polled[i].Fd, Events = Libc.PollIn };
            }
            int ready;
            fixed (Libc.PollFd* p = fds)
            {
                ready = Libc.Poll(p, (nuint)fds.Length, -1);
            }
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == (int)Errno.EINTR)
                {
                    continue;
                }
                Log.PollFailed(_logger, errno);
                return;
            }
            if (fds[0].Revents != 0)
            {
                ulong count;
                Libc.Read(_wake, &count, sizeof(ulong));
            }
            for (int i = 0; i < polled.Count; i++)
            {
                if (fds[i + 1].Revents == 0)
                {
                    continue;
                }
                var (process, fd) = polled[i];
                lock (_lock)
                {
                    if (!_watched.TryGetValue(process, out int current) || current != fd)
                    {
                        continue; // unwatched meanwhile
                    }
                    _watched.Remove(process);
                    Libc.Close(fd);
                }
                Report(process);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }
            _stopping = true;
            _toClose.AddRange(_watched.Values);
            _watched.Clear();
        }
        Wake();
        // The thread closes the descriptors and ends at once; it is a background thread, so never wait long for it.
        if (_thread.Join(TimeSpan.FromSeconds(1)))
        {
            Libc.Close(_wake);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "--restore client: this kernel cannot follow processes (pidfd_open failed, errno {Errno}; needs Linux 5.3); changes are restored at shutdown only")]
        public static partial void Unsupported(ILogger logger, int errno);

        [LoggerMessage(2, LogLevel.Warning, "Cannot follow process {Pid} (pidfd_open errno {Errno}); its changes are restored at shutdown only")]
        public static partial void CannotWatch(ILogger logger, int pid, int errno);

        [LoggerMessage(3, LogLevel.Error, "poll(2) failed (errno {Errno}); clients' changes are restored at shutdown only from now on")]
        public static partial void PollFailed(ILogger logger, int errno);
    }
}
