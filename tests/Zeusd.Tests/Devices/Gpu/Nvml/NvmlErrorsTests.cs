using Zeusd.Api;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Interop.Nvml;
using Zeusd.Devices.Gpu.Nvml;

namespace Zeusd.Tests.Devices.Gpu.Nvml;

public sealed class NvmlErrorsTests
{
    [Theory]
    [InlineData((int)NvmlReturn.NoPermission, DeviceErrorKind.NoPermission, 403, "the current user does not have permission to perform this operation")]
    [InlineData((int)NvmlReturn.InvalidArgument, DeviceErrorKind.InvalidArgument, 400, "a supplied argument was invalid")]
    [InlineData((int)NvmlReturn.NotSupported, DeviceErrorKind.NotSupported, 400, "the requested operation is not available on the target device")]
    [InlineData((int)NvmlReturn.GpuIsLost, DeviceErrorKind.DriverFailure, 500, "device fell off the bus or has otherwise become inacessible")]
    [InlineData((int)NvmlReturn.Unknown, DeviceErrorKind.DriverFailure, 500, "an internal driver error occured")]
    [InlineData((int)NvmlReturn.Uninitialized, DeviceErrorKind.DriverFailure, 500, "NVML was not first initialized with `Nvml::init()`")]
    [InlineData((int)NvmlReturn.DriverNotLoaded, DeviceErrorKind.DriverFailure, 500, "NVIDIA driver is not loaded")]
    [InlineData((int)NvmlReturn.Timeout, DeviceErrorKind.DriverFailure, 500, "the provided timeout was reached")]
    [InlineData((int)NvmlReturn.InsufficientSize, DeviceErrorKind.DriverFailure, 500, "an input argument is not large enough")]
    [InlineData((int)NvmlReturn.ResetRequired, DeviceErrorKind.DriverFailure, 500, "device requires a reset before it can be used again")]
    [InlineData((int)NvmlReturn.InUse, DeviceErrorKind.DriverFailure, 500, "operation cannot be performed because the GPU is currently in use")]
    [InlineData((int)NvmlReturn.VgpuEccNotSupported, DeviceErrorKind.DriverFailure, 500,
        "the requested vgpu operation is not available on the target device because ECC is enabled")]
    [InlineData((int)NvmlReturn.ArgumentVersionMismatch, DeviceErrorKind.DriverFailure, 500, "unexpected enum variant value: 25")]
    [InlineData((int)NvmlReturn.ResetTypeNotSupported, DeviceErrorKind.DriverFailure, 500, "unexpected enum variant value: 30")]
    public void From_NvmlCode_KindStatusAndBindingText(int code, DeviceErrorKind kind, int status, string text)
    {
        var error = NvmlErrors.From((NvmlReturn)code);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, HttpErrorMap.StatusOf(error.Kind));
        Assert.Equal("NVML error: " + text, error.Message);
    }

    [Fact]
    public void From_EveryDefinedCode_HasATextOfItsOwnUpToTheBindingsLastCode()
    {
        var texts = Enum.GetValues<NvmlReturn>()
            .Where(c => c is not NvmlReturn.Success and (<= NvmlReturn.VgpuEccNotSupported or NvmlReturn.Unknown))
            .Select(c => NvmlErrors.From(c).Message)
            .ToList();

        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.DoesNotContain(texts, t => t.Contains("unexpected enum variant"));
    }

    [Fact]
    public void From_SharedCodes_SameTextsAsSimulatedGpu()
    {
        Assert.Equal(GpuErrors.InvalidArgument().Message, NvmlErrors.From(NvmlReturn.InvalidArgument).Message);
        Assert.Equal(GpuErrors.NotSupported().Message, NvmlErrors.From(NvmlReturn.NotSupported).Message);
        Assert.Equal(GpuErrors.NoPermission().Message, NvmlErrors.From(NvmlReturn.NoPermission).Message);
    }
}
