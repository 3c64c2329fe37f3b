using Zeusd.Api;
using Zeusd.Devices;

namespace Zeusd.Tests.Api;

public sealed class HttpErrorMapTests
{
    [Theory]
    [InlineData(DeviceErrorKind.InvalidRequest, 400)]
    [InlineData(DeviceErrorKind.InvalidArgument, 400)]
    [InlineData(DeviceErrorKind.NotSupported, 400)]
    [InlineData(DeviceErrorKind.NoPermission, 403)]
    [InlineData(DeviceErrorKind.DriverFailure, 500)]
    [InlineData(DeviceErrorKind.Io, 500)]
    [InlineData(DeviceErrorKind.QueueClosed, 500)]
    [InlineData(DeviceErrorKind.MissingData, 500)]
    [InlineData(DeviceErrorKind.InitializationFailed, 500)]
    [InlineData(DeviceErrorKind.Internal, 500)]
    public void StatusOf_EachKind_MapsToContractStatus(DeviceErrorKind kind, int status)
    {
        Assert.Equal(status, HttpErrorMap.StatusOf(kind));
    }
}
