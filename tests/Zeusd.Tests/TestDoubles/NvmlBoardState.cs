namespace Zeusd.Tests.TestDoubles;

/// <summary>
/// One line of the fake NVML's state file: <c>&lt;i&gt; power_limit=.. persistence=.. gpu_locked=.. gpu_min=.. gpu_max=..
/// mem_locked=.. mem_min=.. mem_max=..</c>, the settings a board keeps across daemon restarts.
/// </summary>
public sealed record NvmlBoardState(int Gpu, uint PowerLimitMw, bool Persistence, bool GpuClocksLocked, uint GpuMinMhz, uint GpuMaxMhz,
    bool MemClocksLocked, uint MemMinMhz, uint MemMaxMhz)
{
    public static NvmlBoardState Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = parts.Skip(1).Select(p => p.Split('=')).ToDictionary(kv => kv[0], kv => uint.Parse(kv[1]));
        return new NvmlBoardState(int.Parse(parts[0]), values["power_limit"], values["persistence"] != 0, values["gpu_locked"] != 0,
            values["gpu_min"], values["gpu_max"], values["mem_locked"] != 0, values["mem_min"], values["mem_max"]);
    }
}
