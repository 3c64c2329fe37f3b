namespace Zeusd.Interop.Nvml;

/// <summary><c>nvmlValueType_t</c>: which member of a field value's union holds the value.</summary>
internal enum NvmlValueType
{
    Double = 0,
    UnsignedInt = 1,
    UnsignedLong = 2,
    UnsignedLongLong = 3,
    SignedLongLong = 4,
    SignedInt = 5,
    UnsignedShort = 6,
}
