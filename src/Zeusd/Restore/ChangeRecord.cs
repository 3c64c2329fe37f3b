namespace Zeusd.Restore;

/// <summary>
/// One setting of one GPU that zeusd changed and has not put back: the GPU by index and PCI address (indices can
/// change between boots, the PCI address names the board), the value before the first change, the latest value set
/// (for logs), when the first change was made and who made the latest.
/// </summary>
public sealed record ChangeRecord(
    int GpuIndex, string PciAddress, RestorableSetting Setting, uint Original, string Current, ulong SinceMs, SettingOwner Owner);
