using Zeusd.Devices;
using Zeusd.Interop.Nvml;
using Zeusd.Devices.Gpu.Nvml;

namespace Zeusd.Tests.Devices.Gpu.Nvml;

public sealed class NvmlGpuTests
{
    private static NvmlFieldValue Field(NvmlValueType type, ulong raw, NvmlReturn result = NvmlReturn.Success) => new()
    {
        FieldId = Zeusd.Interop.Nvml.Nvml.FieldPowerInstant,
        Return = result,
        ValueType = type,
        UnsignedLongLongValue = raw,
    };

    [Theory]
    [InlineData((int)NvmlValueType.UnsignedInt, 75_000ul, 75_000u)]
    [InlineData((int)NvmlValueType.UnsignedLong, 0x1_0000_0000ul + 120_000, 120_000u)]
    [InlineData((int)NvmlValueType.UnsignedLongLong, 0x7_0000_0000ul + 310_000, 310_000u)]
    public void PowerFromField_UnsignedValue_TruncatedTo32Bits(int type, ulong raw, uint expected)
    {
        Assert.Equal(expected, NvmlGpu.PowerFromField(Field((NvmlValueType)type, raw)));
    }

    [Theory]
    [InlineData((int)NvmlValueType.Double)]
    [InlineData((int)NvmlValueType.SignedLongLong)]
    [InlineData((int)NvmlValueType.SignedInt)]
    [InlineData((int)NvmlValueType.UnsignedShort)]
    public void PowerFromField_OtherValueType_InvalidArgument(int type)
    {
        var error = Assert.Throws<DeviceException>(() => NvmlGpu.PowerFromField(Field((NvmlValueType)type, 75_000)));

        Assert.Equal(DeviceErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("NVML error: a supplied argument was invalid", error.Message);
    }

    [Fact]
    public void PowerFromField_PerFieldError_ThatError()
    {
        var error = Assert.Throws<DeviceException>(() => NvmlGpu.PowerFromField(Field(NvmlValueType.UnsignedInt, 75_000, NvmlReturn.GpuIsLost)));

        Assert.Equal(DeviceErrorKind.DriverFailure, error.Kind);
        Assert.Equal("NVML error: device fell off the bus or has otherwise become inacessible", error.Message);
    }
}
