using Zeusd.Auth;

namespace Zeusd.GpuWrites;

/// <summary>One GPU's share of a write, as hooks see it.</summary>
public readonly record struct GpuWriteContext(int GpuId, GpuWriteCommand Command, Caller Caller);
