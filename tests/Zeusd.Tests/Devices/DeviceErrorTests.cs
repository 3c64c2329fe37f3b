using Zeusd.Devices;

namespace Zeusd.Tests.Devices;

public sealed class DeviceErrorTests
{
    [Fact]
    public void From_DeviceException_KeepsKindAndText()
    {
        var error = DeviceError.From(2, new DeviceException(DeviceErrorKind.NotSupported, "not here"), "GPU 2");

        Assert.Equal(new DeviceError(2, DeviceErrorKind.NotSupported, "not here"), error);
    }

    [Fact]
    public void From_UnexpectedException_IsAnInternalErrorWordedAsADeadManagementTask()
    {
        var error = DeviceError.From(3, new NullReferenceException(), "GPU 3");

        Assert.Equal(DeviceErrorKind.Internal, error.Kind);
        Assert.Equal("Management task for GPU 3 unexpectedly terminated while handling the request.", error.Message);
    }
}
