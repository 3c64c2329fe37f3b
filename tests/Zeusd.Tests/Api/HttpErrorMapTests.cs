using Zeusd.Api;
using Zeusd.Devices;

namespace Zeusd.Tests.Api;

public sealed class HttpErrorMapTests
{
    [Theory]
    [InlineData(DeviceErrorKind.GpuNotFound, 400)]
    [InlineData(DeviceErrorKind.CpuNotFound, 400)]
    [InlineData(DeviceErrorKind.InvalidRequest, 400)]
    [InlineData(DeviceErrorKind.InvalidArgument, 400)]
    [InlineData(DeviceErrorKind.NotSupported, 400)]
    [InlineData(DeviceErrorKind.NoPermission, 403)]
    [InlineData(DeviceErrorKind.DriverFailure, 500)]
    [InlineData(DeviceErrorKind.Io, 500)]
    [InlineData(DeviceErrorKind.QueueClosed, 500)]
    [InlineData(DeviceErrorKind.MissingData, 500)]
    public void StatusOf_EachKind_MapsToContractStatus(DeviceErrorKind kind, int status)
    {
        Assert.Equal(status, HttpErrorMap.StatusOf(kind));
    }

    [Fact]
    public void Describe_UnexpectedException_Answers500AsADeadManagementTask()
    {
        var (status, message) = HttpErrorMap.Describe(new NullReferenceException(), "GPU 3");

        Assert.Equal(500, status);
        Assert.Equal("Management task for GPU 3 unexpectedly terminated while handling the request.", message);
    }
}
