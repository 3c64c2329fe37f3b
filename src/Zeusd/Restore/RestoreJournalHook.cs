using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Zeusd.Common;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Restore;

/// <summary>
/// Keeps the journal in step with every GPU write, on the GPU's queue. Before the first change of a setting it reads
/// the current value and writes the record durably (failing the write, GPU untouched, if it cannot); later changes keep
/// the first original and move ownership to the newest caller; a reset by the owner removes the record. The daemon's
/// own writes are restores (<see cref="CreateRestore"/>): on success the record goes, on failure it stays.
/// Before and After of one write run in one queued command, so the per-GPU <see cref="Pending"/> slot is never shared.
/// </summary>
public sealed partial class RestoreJournalHook : GpuWriteHook
{
    public const string SupersededText = "Nothing to restore: the setting was put back, or changed by another caller, meanwhile";

    private readonly ChangedSettings _changes;
    private readonly RestoreJournal _journal;
    private readonly IReadOnlyList<GpuInfo> _gpus;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Pending[] _pending;
    private readonly ConditionalWeakTable<GpuWriteCommand, RestoreIntent> _restores = new();

    public RestoreJournalHook(ChangedSettings changes, RestoreJournal journal, IReadOnlyList<GpuInfo> gpus, TimeProvider time, ILogger logger)
    {
        _changes = changes;
        _journal = journal;
        _gpus = gpus;
        _time = time;
        _logger = logger;
        _pending = [.. gpus.Select(_ => new Pending())];
    }

    /// <summary>A record got a new owner (its first change, or a change by another caller).</summary>
    public event Action<SettingOwner>? OwnerAdded;

    /// <summary>An owner lost a record (restored, undone, or taken over).</summary>
    public event Action<SettingOwner>? OwnerReleased;

    /// <summary>The write that puts <paramref name="record"/>'s original back, run by <c>Caller.Daemon</c>.</summary>
    /// <param name="expectedOwner">Restore only if this caller still owns the setting; null restores whoever owns it.</param>
    public GpuWriteCommand CreateRestore(ChangeRecord record, string why, SettingOwner? expectedOwner)
    {
        var (operation, values) = RestorableSettings.Undo(record.Setting, record.Original);
        var command = new GpuWriteCommand(operation, [record.GpuIndex], values, Block: true, Route: "restore (" + why + ")");
        _restores.Add(command, new RestoreIntent(record.Setting, expectedOwner, why));
        return command;
    }

    public override void BeforeApply(in GpuWriteContext write, IGpu gpu)
    {
        var pending = _pending[write.GpuId];
        pending.Clear();
        if (write.Caller.IsDaemon)
        {
            if (_restores.TryGetValue(write.Command, out var intent))
            {
                var current = _changes.Find(write.GpuId, intent.Setting);
                if (current is null || (intent.ExpectedOwner is { } expected && !current.Owner.IsSameAs(expected)))
                {
                    throw new DeviceException(DeviceErrorKind.InvalidRequest, SupersededText);
                }
                pending.Restoring = current;
                pending.Intent = intent;
            }
            return;
        }

        var owner = pending.Owner = SettingOwner.Of(write.Caller);
        var operation = write.Command.Operation;
        foreach (var setting in RestorableSettings.ChangedBy(operation))
        {
            if (_changes.Find(write.GpuId, setting) is { } existing)
            {
                pending.Existing.Add(existing);
                continue;
            }
            if (operation.IsReset())
            {
                continue; // clocks zeusd never locked: nothing of ours to undo
            }
            var created = Journal(write, gpu, setting, owner);
            _changes.Set(created);
            pending.Created.Add(created);
        }
    }

    /// <summary>Reads the setting's value now and writes its record durably, before the change.</summary>
    private ChangeRecord Journal(in GpuWriteContext write, IGpu gpu, RestorableSetting setting, SettingOwner owner)
    {
        int id = write.GpuId;
        uint original;
        try
        {
            original = RestorableSettings.ReadCurrent(gpu, setting);
        }
        catch (DeviceException)
        {
            // No original, no change: the caller gets the device's own answer (a backend without the setting, such as
            // AMD SMI's persistence mode, refuses its setter the same way), and the GPU is not touched.
            throw;
        }
        var record = new ChangeRecord(id, _gpus[id].PciAddress, setting, original,
            RestorableSettings.DescribeResult(write.Command.Operation, write.Command.Values), UnixTime.Milliseconds(_time), owner.WithUserName());
        try
        {
            _journal.Save(record);
        }
        catch (IOException ex)
        {
            Log.JournalWriteFailed(_logger, id, setting.WireName(), _journal.PathOf(record), ex.Message);
            throw new DeviceException(DeviceErrorKind.Internal,
                $"Cannot record the original {setting.WireName()} of GPU {id} in the restore journal (the GPU was not changed): {ex.Message}", ex);
        }
        Log.Recorded(_logger, id, setting.WireName(), RestorableSettings.Describe(setting, original), record.Owner.Describe());
        return record;
    }

    public override void AfterApply(in GpuWriteContext write, IGpu gpu, Exception? error)
    {
        var pending = _pending[write.GpuId];
        try
        {
            if (pending.Restoring is { } restoring)
            {
                Restored(restoring, pending.Intent!, gpu, error);
            }
            else if (!write.Caller.IsDaemon)
            {
                Changed(write, pending, error);
            }
        }
        finally
        {
            pending.Clear();
        }
    }

    private void Restored(ChangeRecord record, RestoreIntent intent, IGpu gpu, Exception? error)
    {
        string to = RestorableSettings.Describe(record.Setting, record.Original);
        if (error is DeviceException { Kind: DeviceErrorKind.InvalidRequest or DeviceErrorKind.NotSupported }
            && record.Setting is RestorableSetting.GpuLockedClocks or RestorableSetting.MemLockedClocks)
        {
            error = ResetBothClockDomains(record, gpu);
        }
        if (error is not null)
        {
            Log.RestoreFailed(_logger, record.GpuIndex, record.PciAddress, record.Setting.WireName(), record.Current, to, intent.Why, error.Message);
            return;
        }
        Forget(record);
        Log.Restored(_logger, record.GpuIndex, record.PciAddress, record.Setting.WireName(), record.Current, to, intent.Why);
    }

    /// <summary>
    /// A backend that resets clocks only as a whole (AMD SMI: through the performance level) refuses a one-domain
    /// reset; then both domains are reset, in the same queued command, and both clock records are done.
    /// </summary>
    private Exception? ResetBothClockDomains(ChangeRecord record, IGpu gpu)
    {
        try
        {
            gpu.ResetLockedClocks();
        }
        catch (Exception ex)
        {
            return ex;
        }
        var other = record.Setting == RestorableSetting.GpuLockedClocks ? RestorableSetting.MemLockedClocks : RestorableSetting.GpuLockedClocks;
        if (_changes.Find(record.GpuIndex, other) is { } both)
        {
            Forget(both);
        }
        Log.ResetBothDomains(_logger, record.GpuIndex, record.Setting.WireName());
        return null;
    }

    private void Changed(in GpuWriteContext write, Pending pending, Exception? error)
    {
        if (error is not null)
        {
            // The GPU did not change: a record made for this write would restore a value nobody changed.
            foreach (var created in pending.Created)
            {
                Forget(created);
            }
            return;
        }
        foreach (var created in pending.Created)
        {
            OwnerAdded?.Invoke(created.Owner);
        }
        var owner = pending.Owner!;
        var operation = write.Command.Operation;
        foreach (var record in pending.Existing)
        {
            bool sameOwner = record.Owner.IsSameAs(owner);
            if (operation.IsReset() && sameOwner)
            {
                Forget(record);
                Log.UndoneByOwner(_logger, record.GpuIndex, record.Setting.WireName(), owner.Describe());
                continue;
            }
            var updated = record with
            {
                Owner = sameOwner ? record.Owner : owner.WithUserName(),
                Current = RestorableSettings.DescribeResult(operation, write.Command.Values),
            };
            if (updated != record)
            {
                _changes.Set(updated);
                try
                {
                    _journal.Save(updated);
                }
                catch (IOException ex)
                {
                    // The original on disk is intact; only the owner and latest value are not.
                    Log.UpdateNotSaved(_logger, record.GpuIndex, record.Setting.WireName(), ex.Message);
                }
            }
            if (!sameOwner)
            {
                OwnerAdded?.Invoke(updated.Owner);
                OwnerReleased?.Invoke(record.Owner);
            }
        }
    }

    /// <summary>Drops a record from memory and disk; a file that cannot be removed is put back harmlessly at the next start.</summary>
    private void Forget(ChangeRecord record)
    {
        _changes.Remove(record);
        try
        {
            _journal.Delete(record);
        }
        catch (IOException ex)
        {
            Log.DeleteFailed(_logger, _journal.PathOf(record), ex.Message);
        }
        OwnerReleased?.Invoke(record.Owner);
    }

    /// <summary>One GPU's write in progress, between its Before and After.</summary>
    private sealed class Pending
    {
        public readonly List<ChangeRecord> Created = [];
        public readonly List<ChangeRecord> Existing = [];
        public SettingOwner? Owner;
        public ChangeRecord? Restoring;
        public RestoreIntent? Intent;

        public void Clear()
        {
            Created.Clear();
            Existing.Clear();
            Owner = null;
            Restoring = null;
            Intent = null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "GPU {Gpu}: recorded the original {Setting} ({Original}) before the first change, by {Owner}")]
        public static partial void Recorded(ILogger logger, int gpu, string setting, string original, string owner);

        [LoggerMessage(2, LogLevel.Information, "Restored GPU {Gpu} ({Pci}) {Setting} from {From} to {To}: {Why}")]
        public static partial void Restored(ILogger logger, int gpu, string pci, string setting, string from, string to, string why);

        [LoggerMessage(3, LogLevel.Error, "Could not restore GPU {Gpu} ({Pci}) {Setting} from {From} to {To} ({Why}): {Error}; its record is kept")]
        public static partial void RestoreFailed(ILogger logger, int gpu, string pci, string setting, string from, string to, string why, string error);

        [LoggerMessage(4, LogLevel.Information, "GPU {Gpu}: {Setting} reset by its owner, {Owner}; nothing left to restore")]
        public static partial void UndoneByOwner(ILogger logger, int gpu, string setting, string owner);

        [LoggerMessage(5, LogLevel.Error, "GPU {Gpu}: cannot write the restore record {Path} for {Setting}: {Error}; the write is refused")]
        public static partial void JournalWriteFailed(ILogger logger, int gpu, string setting, string path, string error);

        [LoggerMessage(6, LogLevel.Warning, "GPU {Gpu}: the new owner of {Setting} could not be saved in the journal: {Error}; the original is kept")]
        public static partial void UpdateNotSaved(ILogger logger, int gpu, string setting, string error);

        [LoggerMessage(8, LogLevel.Information, "GPU {Gpu} cannot reset one clock domain; {Setting} restored by resetting both (reset_locked_clocks)")]
        public static partial void ResetBothDomains(ILogger logger, int gpu, string setting);

        [LoggerMessage(7, LogLevel.Warning, "Cannot remove the restore record {Path}: {Error}; the next start puts the original back again (harmless)")]
        public static partial void DeleteFailed(ILogger logger, string path, string error);
    }
}
