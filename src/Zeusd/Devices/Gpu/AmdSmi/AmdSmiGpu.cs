using System.Text;
using Microsoft.Extensions.Logging;
using Zeusd.Interop.AmdSmi;
using Native = Zeusd.Interop.AmdSmi.AmdSmi;

namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>
/// One AMD GPU through AMD SMI, as the original daemon drives it: the power field is chosen once at open, locked
/// clocks are two limit writes ordered against the last known range (with a requery, a retry and a restore when
/// a write fails), a reset is the AUTO performance level, and the energy counter is served only once it passed the
/// startup validation. The management queue and the power poller each open their own instance.
/// </summary>
internal sealed partial class AmdSmiGpu : IGpu
{
    /// <summary>What AMD SMI writes into a power field that has no value (a 16-bit N/A, or the documented 32-bit one).</summary>
    private const uint NotAvailable16 = 0xFFFF;
    private const uint NotAvailable32 = 0xFFFF_FFFF;

    private readonly AmdSmiSession _session;
    private readonly nint _handle;
    private readonly int _index;
    private readonly ILogger _logger;
    // Per clock type (graphics, memory): the range zeusd last set or read; null when unknown.
    private AmdSmiClockRange? _graphicsBounds;
    private AmdSmiClockRange? _memoryBounds;
    private volatile bool _energyAvailable;

    private AmdSmiGpu(AmdSmiSession session, nint handle, int index, AmdSmiPowerSource powerSource, ILogger logger)
    {
        _session = session;
        _handle = handle;
        _index = index;
        PowerSource = powerSource;
        _logger = logger;
    }

    public int Index => _index;

    public AmdSmiPowerSource PowerSource { get; }

    /// <summary>Set by the startup validation (<see cref="AmdSmiEnergyValidation"/>); until then energy reads answer 400.</summary>
    public bool CumulativeEnergyAvailable
    {
        get => _energyAvailable;
        set => _energyAvailable = value;
    }

    /// <summary>
    /// Opens GPU <paramref name="index"/> of a fresh enumeration: reads its power once to choose the power field
    /// (any error is fatal), seeds the clock ranges (errors tolerated), and reads its name and PCI address.
    /// </summary>
    public static AmdSmiGpu Open(AmdSmiSession session, int index, ILogger logger)
    {
        nint[] handles = session.EnumerateGpus();
        if (index >= handles.Length)
        {
            throw AmdSmiErrors.GpuIndexMissing(index);
        }
        var reading = ReadPowerInfo(session, handles[index], index);
        var source = !IsNotAvailable(reading.CurrentWatts) ? AmdSmiPowerSource.Current
            : !IsNotAvailable(reading.AverageWatts) ? AmdSmiPowerSource.Average
            : AmdSmiPowerSource.Unsupported;
        Log.PowerSourceSelected(logger, index, source);
        var gpu = new AmdSmiGpu(session, handles[index], index, source, logger);
        gpu._graphicsBounds = gpu.SeedBounds(AmdSmiClockType.Graphics, "GFX");
        gpu._memoryBounds = gpu.SeedBounds(AmdSmiClockType.Memory, "MEM");
        Log.Initialized(logger, index, gpu.ReadName(), gpu.ReadPciAddress());
        return gpu;
    }

    private static bool IsNotAvailable(uint watts) => watts is NotAvailable16 or NotAvailable32;

    private AmdSmiClockRange? SeedBounds(AmdSmiClockType type, string name)
    {
        try
        {
            return QueryBounds(type);
        }
        catch (DeviceException ex)
        {
            Log.BoundsNotCached(_logger, name, _index, ex.Message);
            return null;
        }
    }

    /// <summary><c>market_name</c> up to its first NUL (all 256 bytes if there is none), invalid UTF-8 replaced.</summary>
    public unsafe string ReadName()
    {
        byte* buffer = stackalloc byte[Native.AsicInfoBufferSize];
        new Span<byte>(buffer, Native.AsicInfoBufferSize).Clear();
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_get_gpu_asic_info", _index))
        {
            status = Native.GetGpuAsicInfo(_handle, buffer);
        }
        _session.Check(status);
        var name = new ReadOnlySpan<byte>(buffer, Native.MarketNameLength);
        int end = name.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
    }

    public unsafe string ReadPciAddress()
    {
        ulong bdf = 0;
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_get_gpu_device_bdf", _index))
        {
            status = Native.GetGpuDeviceBdf(_handle, &bdf);
        }
        _session.Check(status);
        return new AmdSmiBdf(bdf).ToString();
    }

    // ---- operations AMD SMI does not offer ----

    public void SetPersistenceMode(bool enabled) => throw AmdSmiErrors.InvalidRequest(AmdSmiErrors.PersistenceUnsupported);

    public bool GetPersistenceMode() => throw AmdSmiErrors.InvalidRequest(AmdSmiErrors.PersistenceUnsupported);

    public void ResetGpuLockedClocks() => throw AmdSmiErrors.InvalidRequest(AmdSmiErrors.SingleDomainResetUnsupported);

    public void ResetMemoryLockedClocks() => throw AmdSmiErrors.InvalidRequest(AmdSmiErrors.SingleDomainResetUnsupported);

    // ---- power limit (AMD SMI speaks µW) ----

    public void SetPowerLimit(uint milliwatts)
    {
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_set_power_cap", _index))
        {
            status = Native.SetPowerCap(_handle, 0, (ulong)milliwatts * 1000);
        }
        _session.Check(status);
    }

    public uint GetPowerLimit() => (uint)(ReadPowerCapInfo().PowerCap / 1000);

    public PowerLimitConstraints GetPowerLimitConstraints()
    {
        var info = ReadPowerCapInfo();
        return new PowerLimitConstraints((uint)(info.MinPowerCap / 1000), (uint)(info.MaxPowerCap / 1000));
    }

    private unsafe AmdSmiPowerCapInfo ReadPowerCapInfo()
    {
        AmdSmiPowerCapInfo info = default;
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_get_power_cap_info", _index))
        {
            status = Native.GetPowerCapInfo(_handle, 0, &info);
        }
        _session.Check(status);
        return info;
    }

    // ---- power and energy ----

    /// <summary>
    /// The chosen field in mW. A field that reads N/A later is NOT_SUPPORTED, with no fallback to the other field.
    /// W × 1000 wraps like the original's u32 arithmetic (only above 4 294 967 W).
    /// </summary>
    public uint GetInstantPower()
    {
        if (PowerSource == AmdSmiPowerSource.Unsupported)
        {
            throw _session.Error(AmdSmiStatus.NotSupported);
        }
        var reading = ReadPowerInfo(_session, _handle, _index);
        uint watts = PowerSource == AmdSmiPowerSource.Current ? reading.CurrentWatts : reading.AverageWatts;
        if (IsNotAvailable(watts))
        {
            throw _session.Error(AmdSmiStatus.NotSupported);
        }
        return unchecked(watts * 1000);
    }

    private static unsafe AmdSmiPowerReading ReadPowerInfo(AmdSmiSession session, nint handle, int index)
    {
        byte* buffer = stackalloc byte[Native.PowerInfoBufferSize];
        new Span<byte>(buffer, Native.PowerInfoBufferSize).Clear();
        AmdSmiStatus status;
        using (session.EnterCall("amdsmi_get_power_info", index))
        {
            status = Native.GetPowerInfo(handle, buffer);
        }
        session.Check(status);
        return session.Layout.DecodePowerInfo(new ReadOnlySpan<byte>(buffer, Native.PowerInfoBufferSize));
    }

    public ulong GetTotalEnergyConsumption() =>
        _energyAvailable ? ReadEnergyMillijoules() : throw AmdSmiErrors.InvalidRequest(AmdSmiErrors.EnergyUnavailable);

    /// <summary>The raw counter in mJ, whether or not it passed validation.</summary>
    public unsafe ulong ReadEnergyMillijoules()
    {
        ulong accumulator = 0, timestamp = 0;
        float resolution = 0;
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_get_energy_count", _index))
        {
            status = Native.GetEnergyCount(_handle, &accumulator, &resolution, &timestamp);
        }
        _session.Check(status);
        return EnergyMillijoules(accumulator, resolution);
    }

    /// <summary>
    /// counts × µJ per count / 1000, truncated, saturating like Rust's float-to-int cast: NaN and negatives give 0,
    /// values beyond the range give <see cref="ulong.MaxValue"/>.
    /// </summary>
    internal static ulong EnergyMillijoules(ulong accumulator, float resolutionMicrojoules)
    {
        double millijoules = Math.Truncate(accumulator * (double)resolutionMicrojoules / 1000.0);
        return double.IsNaN(millijoules) || millijoules <= 0 ? 0
            : millijoules >= 18446744073709551615.0 ? ulong.MaxValue
            : (ulong)millijoules;
    }

    // ---- locked clocks ----

    public void SetGpuLockedClocks(uint minMhz, uint maxMhz) => SetLockedClocks(AmdSmiClockType.Graphics, ref _graphicsBounds, minMhz, maxMhz);

    public void SetMemoryLockedClocks(uint minMhz, uint maxMhz) => SetLockedClocks(AmdSmiClockType.Memory, ref _memoryBounds, minMhz, maxMhz);

    /// <summary>
    /// Writes the range as two limits in an order the kernel accepts against the current range (min first, unless
    /// the new min is above the current max). A failed write means the range changed outside zeusd: requery, retry
    /// once, and if that fails too, put back the range known at the start and report the retry's error.
    /// </summary>
    private void SetLockedClocks(AmdSmiClockType type, ref AmdSmiClockRange? bounds, uint minMhz, uint maxMhz)
    {
        var cached = bounds ??= QueryBounds(type);
        try
        {
            WriteRange(type, minMhz, maxMhz, cached);
            bounds = new AmdSmiClockRange(minMhz, maxMhz);
            return;
        }
        catch (DeviceException first)
        {
            Log.SetFailedRetrying(_logger, (uint)type, first.Message);
        }
        bounds = null;
        var current = QueryBounds(type);
        try
        {
            WriteRange(type, minMhz, maxMhz, current);
            bounds = new AmdSmiClockRange(minMhz, maxMhz);
        }
        catch (DeviceException)
        {
            bounds = null;
            try
            {
                WriteRange(type, cached.Min, cached.Max, current);
                bounds = cached;
            }
            catch (DeviceException restoreError)
            {
                Log.RestoreFailed(_logger, (uint)type, restoreError.Message);
            }
            // The retry's error, not the restore's.
            throw;
        }
    }

    /// <summary>Max first only when the new min is above the known max; otherwise min first.</summary>
    private void WriteRange(AmdSmiClockType type, uint minMhz, uint maxMhz, AmdSmiClockRange known)
    {
        if (minMhz > known.Max)
        {
            WriteLimit(type, AmdSmiClockLimit.Max, maxMhz);
            WriteLimit(type, AmdSmiClockLimit.Min, minMhz);
        }
        else
        {
            WriteLimit(type, AmdSmiClockLimit.Min, minMhz);
            WriteLimit(type, AmdSmiClockLimit.Max, maxMhz);
        }
    }

    private void WriteLimit(AmdSmiClockType type, AmdSmiClockLimit limit, uint mhz)
    {
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_set_gpu_clk_limit", _index))
        {
            status = Native.SetGpuClockLimit(_handle, type, limit, mhz);
        }
        _session.Check(status);
    }

    private unsafe AmdSmiClockRange QueryBounds(AmdSmiClockType type)
    {
        AmdSmiClockInfo info = default;
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_get_clock_info", _index))
        {
            status = Native.GetClockInfo(_handle, type, &info);
        }
        _session.Check(status);
        return new AmdSmiClockRange(info.MinClock, info.MaxClock);
    }

    /// <summary>The AUTO performance level lifts every clock limit at once; the known ranges are then stale.</summary>
    public void ResetLockedClocks()
    {
        AmdSmiStatus status;
        using (_session.EnterCall("amdsmi_set_gpu_perf_level", _index))
        {
            status = Native.SetGpuPerfLevel(_handle, AmdSmiPerformanceLevel.Auto);
        }
        _session.Check(status);
        _graphicsBounds = null;
        _memoryBounds = null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "AMD SMI GPU {Index} power reading selected: {Source}")]
        public static partial void PowerSourceSelected(ILogger logger, int index, AmdSmiPowerSource source);

        [LoggerMessage(2, LogLevel.Debug, "Could not cache {Clock} clock bounds for AMD SMI GPU {Index}: {Error}")]
        public static partial void BoundsNotCached(ILogger logger, string clock, int index, string error);

        [LoggerMessage(3, LogLevel.Information, "Initialized AMD SMI for GPU {Index} ({Name}, PCI address {PciAddress})")]
        public static partial void Initialized(ILogger logger, int index, string name, string pciAddress);

        [LoggerMessage(4, LogLevel.Warning, "Failed to set AMD SMI GPU clock type {Type} range: {Error}; the GPU's clock range was likely changed outside zeusd, requerying and retrying")]
        public static partial void SetFailedRetrying(ILogger logger, uint type, string error);

        [LoggerMessage(5, LogLevel.Warning, "Failed to restore AMD SMI GPU clock type {Type} range after set failure: {Error}")]
        public static partial void RestoreFailed(ILogger logger, uint type, string error);
    }
}
