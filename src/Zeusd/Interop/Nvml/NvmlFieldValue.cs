using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

/// <summary>
/// <c>nvmlFieldValue_t</c> (40 bytes): the caller sets <see cref="FieldId"/> and <see cref="ScopeId"/>; NVML fills the
/// rest. The value is a C union, so its members overlap at offset 32.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
internal struct NvmlFieldValue
{
    [FieldOffset(0)] public uint FieldId;
    [FieldOffset(4)] public uint ScopeId;
    [FieldOffset(8)] public long TimestampMicroseconds;
    [FieldOffset(16)] public long LatencyMicroseconds;
    [FieldOffset(24)] public NvmlValueType ValueType;
    [FieldOffset(28)] public NvmlReturn Return;
    [FieldOffset(32)] public double DoubleValue;
    [FieldOffset(32)] public uint UnsignedIntValue;
    [FieldOffset(32)] public ulong UnsignedLongLongValue;
    [FieldOffset(32)] public long SignedLongLongValue;
}
