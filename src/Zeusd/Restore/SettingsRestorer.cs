using Microsoft.Extensions.Logging;
using Zeusd.Auth;
using Zeusd.Configuration;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Restore;

/// <summary>
/// <c>--restore shutdown|client</c>: the journal, its hook, and every way settings are put back — leftovers of a
/// crashed daemon before the socket exists, everything at shutdown, a client's changes when it exits (client mode, Unix
/// socket), and <c>/gpu/restore_settings</c>. A restore is the ordinary write that puts the original back
/// (<c>set_power_limit</c>, <c>reset_gpu_locked_clocks</c>, ...), made by <see cref="Caller.Daemon"/> through
/// <see cref="GpuWritePipeline"/>, so it runs on the GPU's queue, every hook sees it and a command override runs its
/// own command for it.
/// </summary>
public sealed partial class SettingsRestorer : IDisposable
{
    private readonly GpuFleet _gpus;
    private readonly ChangedSettings _changes = new();
    private readonly RestoreJournalHook _hook;
    private readonly ProcessExitWatcher? _watcher;
    private readonly ILogger _logger;
    private GpuWritePipeline? _writes;
    private int _warnedUnfollowable;

    private SettingsRestorer(RestoreMode mode, GpuFleet gpus, RestoreJournal journal, TimeProvider time, ILoggerFactory loggers)
    {
        _gpus = gpus;
        _logger = loggers.CreateLogger("Zeusd.Restore");
        _hook = new RestoreJournalHook(_changes, journal, gpus.Infos, time, _logger);
        if (mode == RestoreMode.Client)
        {
            _watcher = ProcessExitWatcher.TryStart(OwnerExited, _logger);
            _hook.OwnerAdded += owner =>
            {
                if (owner.Process is { } process)
                {
                    _watcher?.Watch(process);
                }
                else if (owner.Pid is { } pid && Interlocked.Exchange(ref _warnedUnfollowable, 1) == 0)
                {
                    Log.CannotFollow(_logger, pid);
                }
            };
            _hook.OwnerReleased += owner =>
            {
                if (owner.Process is { } process && !_changes.AnyOwnedBy(process))
                {
                    _watcher?.Unwatch(process);
                }
            };
        }
    }

    /// <summary>The hook to list in <c>DaemonHost.GpuWriteHooks()</c>, first: the record must exist before anything else runs.</summary>
    public GpuWriteHook Hook => _hook;

    /// <summary>Every setting changed and not yet put back.</summary>
    public ChangeRecord[] Changed => _changes.Snapshot();

    /// <summary>
    /// Opens the journal in <c>--state-dir</c> and takes over the records a previous daemon left, matched to GPUs by PCI
    /// address: a record whose GPU is not on this node now is warned about and kept on disk, never applied elsewhere.
    /// </summary>
    /// <exception cref="Common.StartupException">The state directory is unusable.</exception>
    public static SettingsRestorer Open(ServeOptions options, GpuFleet gpus, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Zeusd.Restore");
        var journal = RestoreJournal.Open(options.StateDirectory, logger);
        var restorer = new SettingsRestorer(options.Restore, gpus, journal, time, loggers);
        foreach (var record in journal.Load())
        {
            int index = IndexOf(gpus, record.PciAddress);
            if (index < 0)
            {
                Log.GpuGone(logger, record.GpuIndex, record.PciAddress, record.Setting.WireName(), journal.PathOf(record));
                continue;
            }
            restorer._changes.Set(record with { GpuIndex = index });
        }
        return restorer;
    }

    private static int IndexOf(GpuFleet gpus, string pciAddress)
    {
        for (int i = 0; i < gpus.Count; i++)
        {
            if (string.Equals(gpus.Infos[i].PciAddress, pciAddress, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Restores go through the daemon's one write path, built after the hooks.</summary>
    public void Attach(GpuWritePipeline writes) => _writes = writes;

    /// <summary>
    /// Before the socket exists: puts back what a previous daemon (one that crashed, or was killed) left changed. A GPU
    /// that does not answer within the drain budget keeps its records and does not hold up the start.
    /// </summary>
    public async Task RestoreLeftoversAsync()
    {
        var records = _changes.Snapshot();
        if (records.Length == 0)
        {
            return;
        }
        Log.Leftovers(_logger, records.Length);
        var done = Restore(records, "left changed by a previous zeusd", expectOwner: false);
        try
        {
            await done.WaitAsync(DeviceQueue<IGpu>.DrainTimeout);
        }
        catch (TimeoutException)
        {
            Log.StartupRestoreSlow(_logger, DeviceQueue<IGpu>.DrainTimeout.TotalSeconds);
        }
    }

    /// <summary>
    /// After the web host stopped, before the devices close: queues the restore of everything. The devices' drain (within
    /// its budget) runs them; a hung GPU keeps its records for the next start.
    /// </summary>
    public void RestoreAllAtShutdown()
    {
        _watcher?.Dispose();
        if (_writes is not null) // null when startup failed before the write path existed: nothing was changed then
        {
            _ = Restore(_changes.Snapshot(), "zeusd is shutting down", expectOwner: false);
        }
    }

    /// <summary><c>/gpu/restore_settings</c>: the changes of <paramref name="ids"/>, waited for when <paramref name="block"/>.</summary>
    /// <returns>Each GPU's first failure (its records are kept).</returns>
    public async Task<IReadOnlyList<DeviceError>?> RestoreAsync(int[] ids, bool block, Caller requester)
    {
        var records = _changes.Snapshot().Where(r => ids.Contains(r.GpuIndex)).ToArray();
        var done = Restore(records, "restore_settings by " + requester.Describe(), expectOwner: false);
        if (!block)
        {
            return null;
        }
        var errors = await done;
        return errors.Count == 0 ? null : errors;
    }

    /// <summary>A watched client exited: put back what it still owns.</summary>
    private void OwnerExited(ProcessIdentity process)
    {
        var owned = _changes.Snapshot().Where(r => r.Owner.Process == process).ToArray();
        if (owned.Length > 0)
        {
            _ = Restore(owned, $"{owned[0].Owner.Describe()} exited", expectOwner: true);
        }
    }

    /// <summary>
    /// Queues one restore command per record (in order: a GPU's commands run in the order given) and collects each GPU's
    /// first real failure. Every command is queued before this returns, whether or not anyone awaits the result.
    /// </summary>
    private Task<List<DeviceError>> Restore(ChangeRecord[] records, string why, bool expectOwner)
    {
        var writes = _writes ?? throw new InvalidOperationException("Attach the write pipeline first.");
        var pending = new (ChangeRecord Record, ValueTask<GpuWriteResult> Result)[records.Length];
        for (int i = 0; i < records.Length; i++)
        {
            var command = _hook.CreateRestore(records[i], why, expectOwner ? records[i].Owner : null);
            pending[i] = (records[i], writes.ExecuteAsync(command, Caller.Daemon));
        }
        return Collect(pending);
    }

    private async Task<List<DeviceError>> Collect((ChangeRecord Record, ValueTask<GpuWriteResult> Result)[] pending)
    {
        var errors = new List<DeviceError>();
        foreach (var (record, result) in pending)
        {
            var outcome = await result.ConfigureAwait(false);
            foreach (var error in outcome.Errors ?? [])
            {
                // An error counts while its record remains: superseded (someone put it back or took it over) or
                // restored another way (both clock domains at once) leaves nothing to do.
                if (error.Message != RestoreJournalHook.SupersededText && _changes.Find(record.GpuIndex, record.Setting) is not null
                    && !errors.Any(e => e.DeviceId == record.GpuIndex))
                {
                    errors.Add(error);
                }
            }
        }
        return errors;
    }

    public void Dispose() => _watcher?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Not restoring {Setting} of the GPU at PCI {Pci} (GPU {Index} when recorded): no such GPU on this node now; the record {Path} is kept")]
        public static partial void GpuGone(ILogger logger, int index, string pci, string setting, string path);

        [LoggerMessage(2, LogLevel.Information, "Restoring {Count} setting(s) left changed by a previous zeusd before accepting connections")]
        public static partial void Leftovers(ILogger logger, int count);

        [LoggerMessage(4, LogLevel.Warning, "--restore client: cannot read /proc/{Pid}/stat of a client (hidden by ProtectProc=invisible or hidepid?); changes of such clients are restored at shutdown only (warned once)")]
        public static partial void CannotFollow(ILogger logger, int pid);

        [LoggerMessage(3, LogLevel.Warning, "Some GPUs did not finish restoring within {Seconds} s; starting anyway, their records are kept")]
        public static partial void StartupRestoreSlow(ILogger logger, double seconds);
    }
}
