namespace Zeusd.Api;

/// <summary>The kind of device a list of ids refers to; it names the device in error texts.</summary>
public enum DeviceKind
{
    Gpu,
    Cpu,
}
