namespace Zeusd.Devices.Gpu;

/// <summary>Applies <see cref="PersistenceAlwaysOnGpu"/> to every GPU (Windows).</summary>
public sealed class PersistenceAlwaysOnDecorator : IGpuDecorator
{
    public IGpu Decorate(int index, IGpu inner) => new PersistenceAlwaysOnGpu(inner);
}
