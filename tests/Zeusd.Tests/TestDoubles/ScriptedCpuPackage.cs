using Zeusd.Devices;
using Zeusd.Devices.Cpu;

namespace Zeusd.Tests.TestDoubles;

/// <summary>A CPU package whose counters hold what the test sets, and that announces every package read.</summary>
public sealed class ScriptedCpuPackage(bool hasDram) : ICpuPackage
{
    private readonly SemaphoreSlim _reads = new(0);

    public ulong PackageUj = 1_000_000;
    public ulong DramUj = 500_000;
    public volatile DeviceException? PackageFailure;
    public volatile DeviceException? DramFailure;

    public bool HasDram { get; } = hasDram;

    public ulong ReadPackageEnergyUj()
    {
        try
        {
            return PackageFailure is { } failure ? throw failure : Interlocked.Read(ref PackageUj);
        }
        finally
        {
            _reads.Release();
        }
    }

    public ulong ReadDramEnergyUj() => DramFailure is { } failure ? throw failure : Interlocked.Read(ref DramUj);

    /// <summary>Waits for the next package read (one that happened since the last wait counts).</summary>
    public async Task WaitForReadAsync()
    {
        Assert.True(await _reads.WaitAsync(TimeSpan.FromSeconds(10)), "the poller did not read the package");
    }
}
