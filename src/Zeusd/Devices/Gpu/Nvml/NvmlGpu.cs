using System.Text;
using Zeusd.Interop.Nvml;
using NativeNvml = Zeusd.Interop.Nvml.Nvml;

namespace Zeusd.Devices.Gpu.Nvml;

/// <summary>
/// One GPU through NVML. Each instance holds its own NVML initialization reference, so the management queue's handle
/// and the power poller's handle of a GPU are independent, as in the original daemon; disposing releases it.
/// Calls are synchronous and may block as long as the driver does.
/// </summary>
internal sealed class NvmlGpu : IGpu, IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly NvmlInitHandle _nvml;
    private readonly NvmlDevice _device;

    private NvmlGpu(NvmlInitHandle nvml, NvmlDevice device)
    {
        _nvml = nvml;
        _device = device;
    }

    /// <summary>Initializes NVML (one more reference) and opens GPU <paramref name="index"/>.</summary>
    public static NvmlGpu Open(int index)
    {
        Check(NvmlInitHandle.TryInitialize(out var nvml));
        try
        {
            Check(NativeNvml.DeviceGetHandleByIndex((uint)index, out var device));
            return new NvmlGpu(nvml!, device);
        }
        catch
        {
            nvml!.Dispose();
            throw;
        }
    }

    public unsafe string ReadName()
    {
        byte* buffer = stackalloc byte[NativeNvml.DeviceNameBufferSize];
        Check(NativeNvml.DeviceGetName(_device, buffer, NativeNvml.DeviceNameBufferSize));
        var name = new ReadOnlySpan<byte>(buffer, NativeNvml.DeviceNameBufferSize);
        int end = name.IndexOf((byte)0);
        try
        {
            return StrictUtf8.GetString(end < 0 ? name : name[..end]);
        }
        catch (DecoderFallbackException)
        {
            throw NvmlErrors.NotUtf8();
        }
    }

    public string ReadPciAddress()
    {
        Check(NativeNvml.DeviceGetPciInfo(_device, out var pci));
        return PciAddress.FromNvml(pci.Domain, pci.Bus, pci.Device);
    }

    public void SetPersistenceMode(bool enabled) =>
        Check(NativeNvml.DeviceSetPersistenceMode(_device, enabled ? NvmlEnableState.Enabled : NvmlEnableState.Disabled));

    public bool GetPersistenceMode()
    {
        Check(NativeNvml.DeviceGetPersistenceMode(_device, out var mode));
        return mode switch
        {
            NvmlEnableState.Enabled => true,
            NvmlEnableState.Disabled => false,
            _ => throw NvmlErrors.UnexpectedVariant((uint)mode),
        };
    }

    public void SetPowerLimit(uint milliwatts) => Check(NativeNvml.DeviceSetPowerManagementLimit(_device, milliwatts));

    public uint GetPowerLimit()
    {
        Check(NativeNvml.DeviceGetPowerManagementLimit(_device, out uint limit));
        return limit;
    }

    public PowerLimitConstraints GetPowerLimitConstraints()
    {
        Check(NativeNvml.DeviceGetPowerManagementLimitConstraints(_device, out uint min, out uint max));
        return new PowerLimitConstraints(min, max);
    }

    public void SetGpuLockedClocks(uint minMhz, uint maxMhz) => Check(NativeNvml.DeviceSetGpuLockedClocks(_device, minMhz, maxMhz));

    public void ResetGpuLockedClocks() => Check(NativeNvml.DeviceResetGpuLockedClocks(_device));

    public void SetMemoryLockedClocks(uint minMhz, uint maxMhz) => Check(NativeNvml.DeviceSetMemoryLockedClocks(_device, minMhz, maxMhz));

    public void ResetMemoryLockedClocks() => Check(NativeNvml.DeviceResetMemoryLockedClocks(_device));

    public void ResetLockedClocks() => GpuOperations.ResetGraphicsThenMemoryClocks(this);

    /// <summary>
    /// Instantaneous power from field <c>NVML_FI_DEV_POWER_INSTANT</c> (scope 0) rather than
    /// <c>nvmlDeviceGetPowerUsage</c>, whose value is averaged over a second on recent boards.
    /// </summary>
    public unsafe uint GetInstantPower()
    {
        var field = new NvmlFieldValue { FieldId = NativeNvml.FieldPowerInstant, ScopeId = 0 };
        Check(NativeNvml.DeviceGetFieldValues(_device, 1, &field));
        return PowerFromField(field);
    }

    /// <summary>
    /// Milliwatts from a power field value, as the original daemon reads it: an unsigned value is truncated to 32 bits,
    /// any other type is an invalid argument, and a per-field error is that error.
    /// </summary>
    internal static uint PowerFromField(in NvmlFieldValue field)
    {
        if (field.Return != NvmlReturn.Success)
        {
            throw NvmlErrors.From(field.Return);
        }
        return field.ValueType switch
        {
            // The union is little-endian, so the low 32 bits of an unsigned int, long or long long all start at the
            // value's offset: reading them is the truncation.
            NvmlValueType.UnsignedInt or NvmlValueType.UnsignedLong or NvmlValueType.UnsignedLongLong => field.UnsignedIntValue,
            _ => throw GpuErrors.InvalidArgument(),
        };
    }

    public ulong GetTotalEnergyConsumption()
    {
        Check(NativeNvml.DeviceGetTotalEnergyConsumption(_device, out ulong energy));
        return energy;
    }

    public void Dispose() => _nvml.Dispose();

    private static void Check(NvmlReturn result)
    {
        if (result != NvmlReturn.Success)
        {
            throw NvmlErrors.From(result);
        }
    }
}
