using System.Runtime.InteropServices;
using Zeusd.Interop.Nvml;

namespace Zeusd.Tests.Interop.Nvml;

/// <summary>The managed structs must match nvml.h byte for byte, or NVML writes past them.</summary>
public sealed class NvmlStructLayoutTests
{
    [Fact]
    public void PciInfo_MatchesNvmlPciInfoV3Layout()
    {
        Assert.Equal(68, Marshal.SizeOf<NvmlPciInfo>());
        Assert.Equal(16, (int)Marshal.OffsetOf<NvmlPciInfo>(nameof(NvmlPciInfo.Domain)));
        Assert.Equal(20, (int)Marshal.OffsetOf<NvmlPciInfo>(nameof(NvmlPciInfo.Bus)));
        Assert.Equal(24, (int)Marshal.OffsetOf<NvmlPciInfo>(nameof(NvmlPciInfo.Device)));
        Assert.Equal(36, (int)Marshal.OffsetOf<NvmlPciInfo>(nameof(NvmlPciInfo.BusId)));
    }

    [Fact]
    public void FieldValue_MatchesNvmlFieldValueLayout()
    {
        Assert.Equal(40, Marshal.SizeOf<NvmlFieldValue>());
        Assert.Equal(4, (int)Marshal.OffsetOf<NvmlFieldValue>(nameof(NvmlFieldValue.ScopeId)));
        Assert.Equal(8, (int)Marshal.OffsetOf<NvmlFieldValue>(nameof(NvmlFieldValue.TimestampMicroseconds)));
        Assert.Equal(24, (int)Marshal.OffsetOf<NvmlFieldValue>(nameof(NvmlFieldValue.ValueType)));
        Assert.Equal(28, (int)Marshal.OffsetOf<NvmlFieldValue>(nameof(NvmlFieldValue.Return)));
        Assert.Equal(32, (int)Marshal.OffsetOf<NvmlFieldValue>(nameof(NvmlFieldValue.UnsignedLongLongValue)));
    }

    [Fact]
    public void Device_IsOnePointerWide()
    {
        Assert.Equal(IntPtr.Size, Marshal.SizeOf<NvmlDevice>());
    }
}
