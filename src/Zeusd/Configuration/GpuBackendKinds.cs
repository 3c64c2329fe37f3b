namespace Zeusd.Configuration;

/// <summary>The <c>--gpu-backend</c> names of <see cref="GpuBackendKind"/>.</summary>
public static class GpuBackendKinds
{
    public static readonly (string Name, GpuBackendKind Kind)[] Names =
        [("auto", GpuBackendKind.Auto), ("nvml", GpuBackendKind.Nvml), ("amdsmi", GpuBackendKind.AmdSmi)];

    public static string WireName(this GpuBackendKind kind) => Names.First(n => n.Kind == kind).Name;
}
