using Zeusd.Interop.Nvml;
using NativeNvml = Zeusd.Interop.Nvml.Nvml;

namespace Zeusd.Devices.Gpu.Nvml;

/// <summary>
/// The node's NVIDIA GPUs. Every <see cref="Open"/> initializes NVML once more and opens its own device handle, so
/// no two users of a GPU share a handle; <see cref="Dispose"/> releases every initialization it took.
/// </summary>
internal sealed class NvmlGpuBackend : IGpuBackend
{
    private readonly Lock _lock = new();
    private readonly List<NvmlGpu> _opened = [];
    private readonly NvmlGpu?[] _first;

    private NvmlGpuBackend(int count)
    {
        DeviceCount = count;
        _first = new NvmlGpu?[count];
    }


    public int DeviceCount { get; }

    /// <summary>
    /// Loads NVML and counts its GPUs under a temporary initialization that is released again, as the original
    /// daemon's probe does.
    /// </summary>
    /// <returns>The backend, or null with <paramref name="error"/> saying why NVML is unusable.</returns>
    public static NvmlGpuBackend? TryProbe(out string? error)
    {
        error = NvmlLibrary.TryLoad();
        if (error is not null)
        {
            return null;
        }
        try
        {
            var init = NvmlInitHandle.TryInitialize(out var nvml);
            if (init != NvmlReturn.Success)
            {
                error = Failure("nvmlInit_v2", init);
                return null;
            }
            using (nvml)
            {
                var counted = NativeNvml.DeviceGetCount(out uint count);
                if (counted != NvmlReturn.Success)
                {
                    error = Failure("nvmlDeviceGetCount_v2", counted);
                    return null;
                }
                return new NvmlGpuBackend((int)count);
            }
        }
        catch (EntryPointNotFoundException ex)
        {
            error = "the NVML library lacks a function zeusd needs: " + ex.Message;
            return null;
        }
    }

    private static string Failure(string function, NvmlReturn code) =>
        $"{function} failed: {NvmlErrors.From(code).Message} (driver says: {NativeNvml.ErrorString(code)})";

    public IGpu Open(int index)
    {
        var gpu = NvmlGpu.Open(index);
        lock (_lock)
        {
            _opened.Add(gpu);
            _first[index] ??= gpu;
        }
        return gpu;
    }

    /// <summary>Read through the GPU's first handle (its management handle), like the original daemon at startup.</summary>
    public string GetName(int index) => FirstHandle(index).ReadName();

    public string GetPciAddress(int index) => FirstHandle(index).ReadPciAddress();

    private NvmlGpu FirstHandle(int index)
    {
        lock (_lock)
        {
            if (_first[index] is { } gpu)
            {
                return gpu;
            }
        }
        return (NvmlGpu)Open(index);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var gpu in _opened)
            {
                gpu.Dispose();
            }
            _opened.Clear();
            Array.Clear(_first);
        }
    }
}
