namespace Zeusd.Devices.Gpu.Simulated;

/// <summary>
/// The simulated node's GPUs. Every <see cref="Open"/> of an index returns the same board, as two NVML handles of one
/// GPU see the same hardware.
/// </summary>
public sealed class SimulatedGpuBackend : IGpuBackend
{
    /// <summary>How many GPUs <c>serve --simulate</c> has.</summary>
    public const int NodeGpuCount = 4;

    private readonly SimulatedGpu[] _gpus;

    public SimulatedGpuBackend(int count, TimeProvider time)
    {
        _gpus = new SimulatedGpu[count];
        for (int i = 0; i < count; i++)
        {
            _gpus[i] = new SimulatedGpu(i, time);
        }
    }


    public int DeviceCount => _gpus.Length;

    public IGpu Open(int index) => _gpus[index];

    public SimulatedGpu this[int index] => _gpus[index];

    public string GetName(int index) => "NVIDIA A40 (simulated)";

    public string GetPciAddress(int index) => $"0000:{0x17 + index * 0x10:x2}:00.0";

    public void Dispose()
    {
    }
}
