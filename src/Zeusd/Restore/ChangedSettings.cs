namespace Zeusd.Restore;

/// <summary>
/// The settings zeusd has changed and not put back, by GPU id and setting: the journal's content in memory. Changed only
/// from the GPU's queue (so one GPU's records never race); read by the routes and the restorer.
/// </summary>
public sealed class ChangedSettings
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(int Gpu, RestorableSetting Setting), ChangeRecord> _records = [];

    public ChangeRecord? Find(int gpu, RestorableSetting setting)
    {
        lock (_lock)
        {
            return _records.GetValueOrDefault((gpu, setting));
        }
    }

    public void Set(ChangeRecord record)
    {
        lock (_lock)
        {
            _records[(record.GpuIndex, record.Setting)] = record;
        }
    }

    public void Remove(ChangeRecord record)
    {
        lock (_lock)
        {
            _records.Remove((record.GpuIndex, record.Setting));
        }
    }

    /// <summary>Every record, by GPU id then setting.</summary>
    public ChangeRecord[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _records.Values.OrderBy(r => r.GpuIndex).ThenBy(r => r.Setting)];
        }
    }

    /// <summary>Whether any record is still owned by <paramref name="process"/>.</summary>
    public bool AnyOwnedBy(ProcessIdentity process)
    {
        lock (_lock)
        {
            foreach (var record in _records.Values)
            {
                if (record.Owner.Process == process)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
