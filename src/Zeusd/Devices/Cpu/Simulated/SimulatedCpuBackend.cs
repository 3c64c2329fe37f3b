namespace Zeusd.Devices.Cpu.Simulated;

/// <summary>The simulated node's CPU packages; DRAM only on package 0, as on many single-DIMM-domain boards.</summary>
public sealed class SimulatedCpuBackend : ICpuBackend
{
    private readonly SimulatedCpuPackage[] _packages;

    public SimulatedCpuBackend(int count, TimeProvider time)
    {
        _packages = new SimulatedCpuPackage[count];
        for (int i = 0; i < count; i++)
        {
            _packages[i] = new SimulatedCpuPackage(i, hasDram: i == 0, time);
        }
    }


    public int PackageCount => _packages.Length;

    public ICpuPackage Open(int index) => _packages[index];
}
