namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>The node's RAPL packages as found at startup; each <see cref="Open"/> is a fresh, independent handle.</summary>
public sealed class RaplBackend(IReadOnlyList<RaplPackageInfo> packages) : ICpuBackend
{

    public int PackageCount => packages.Count;

    public IReadOnlyList<RaplPackageInfo> Packages => packages;

    public ICpuPackage Open(int index) => new RaplPackage(packages[index]);
}
