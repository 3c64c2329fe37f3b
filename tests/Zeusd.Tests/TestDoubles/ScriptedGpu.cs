using Zeusd.Devices;
using Zeusd.Devices.Gpu;

namespace Zeusd.Tests.TestDoubles;

/// <summary>A GPU whose power reads return what the test sets, and that counts and announces every read.</summary>
public sealed class ScriptedGpu : IGpu
{
    private readonly SemaphoreSlim _reads = new(0);
    private int _readCount;

    public volatile uint PowerMw = 100_000;

    /// <summary>When set, reads fail with this error.</summary>
    public volatile DeviceException? Failure;

    public int ReadCount => Volatile.Read(ref _readCount);

    public uint GetInstantPower()
    {
        Interlocked.Increment(ref _readCount);
        try
        {
            return Failure is { } failure ? throw failure : PowerMw;
        }
        finally
        {
            _reads.Release();
        }
    }

    /// <summary>Waits for the next read (one that happened since the last wait counts).</summary>
    public async Task WaitForReadAsync()
    {
        Assert.True(await _reads.WaitAsync(TimeSpan.FromSeconds(10)), "the poller did not read the GPU");
    }

    public void SetPersistenceMode(bool enabled) => throw new NotSupportedException();
    public bool GetPersistenceMode() => throw new NotSupportedException();
    public void SetPowerLimit(uint milliwatts) => throw new NotSupportedException();
    public uint GetPowerLimit() => throw new NotSupportedException();
    public PowerLimitConstraints GetPowerLimitConstraints() => throw new NotSupportedException();
    public void SetGpuLockedClocks(uint minMhz, uint maxMhz) => throw new NotSupportedException();
    public void ResetGpuLockedClocks() => throw new NotSupportedException();
    public void SetMemoryLockedClocks(uint minMhz, uint maxMhz) => throw new NotSupportedException();
    public void ResetMemoryLockedClocks() => throw new NotSupportedException();
    public void ResetLockedClocks() => throw new NotSupportedException();
    public ulong GetTotalEnergyConsumption() => throw new NotSupportedException();
}
