using Microsoft.Extensions.Logging;
using Zeusd.Devices;
using Zeusd.Devices.Cpu;
using Zeusd.Common;

namespace Zeusd.Streaming;

/// <summary>
/// Polls one CPU package's energy counters through its own handle and publishes power from their deltas:
/// <c>delta_uj * 1000 / period_us</c> with the nominal period (contract §5.2), so the first sample of a session
/// comes one period after a baseline is read. A field whose read fails keeps its previous power value.
/// Unlike the original, a delta that spans several periods (a failed read in between, or a stalled tick) is divided
/// by that many periods instead of being reported as a spike.
/// DRAM is <c>null</c> on a package without a DRAM zone, and for a session whose DRAM baseline could not be read.
/// </summary>
public sealed class CpuPowerPoller(int cpuId, ICpuPackage package, TimeSpan period, TimeProvider time, ILogger logger)
    : DevicePoller($"CPU {cpuId}", period, time, logger)
{
    private Counter _package;
    private Counter _dram;
    private bool _publishedInSession;

    protected override bool PollsOnWake => false;

    /// <summary>
    /// Whole periods from the baseline, so that each delta spans exactly the nominal period. Packages subscribed together
    /// read their baselines together, so they still publish together.
    /// </summary>
    protected override long ScheduleOrigin(long sessionStart) => sessionStart;

    protected override bool BeginSession()
    {
        _publishedInSession = false;
        _package = default;
        _dram = default;
        try
        {
            _package = Counter.Start(package.ReadPackageEnergyUj(), Time.GetTimestamp());
        }
        catch (DeviceException ex)
        {
            ReportReadFailure("package energy", ex);
            return false;
        }
        if (package.HasDram)
        {
            try
            {
                _dram = Counter.Start(package.ReadDramEnergyUj(), Time.GetTimestamp());
            }
            catch (DeviceException ex)
            {
                ReportReadFailure("DRAM energy", ex);
                return true;
            }
        }
        ReportReadSucceeded();
        return true;
    }

    protected override bool Poll(bool mustPublish)
    {
        uint? previousCpu = _package.PowerMw;
        uint? previousDram = _dram.PowerMw;
        bool failed = !Advance(ref _package, static p => p.ReadPackageEnergyUj(), "package energy");
        if (_dram.Active)
        {
            failed |= !Advance(ref _dram, static p => p.ReadDramEnergyUj(), "DRAM energy");
        }
        if (!failed)
        {
            ReportReadSucceeded();
        }
        if (_package.PowerMw is not { } cpuMw)
        {
            // No package power computed yet in this session: a made-up 0 would be worse than no sample.
            return false;
        }
        bool changed = cpuMw != previousCpu || _dram.PowerMw != previousDram;
        if (!changed && _publishedInSession && !mustPublish)
        {
            return false;
        }
        _publishedInSession = true;
        Slot.Publish(SseEventEncoder.Cpu(Slot.NextSequence(), Time.GetTimestamp(), UnixTime.Milliseconds(Time), cpuId, cpuMw, _dram.PowerMw));
        return true;
    }

    /// <summary>Reads a counter and updates its power; false (power unchanged, baseline kept) if the read failed.</summary>
    private bool Advance(ref Counter counter, Func<ICpuPackage, ulong> read, string what)
    {
        ulong energyUj;
        try
        {
            energyUj = read(package);
        }
        catch (DeviceException ex)
        {
            ReportReadFailure(what, ex);
            return false;
        }
        long now = Time.GetTimestamp();
        double periods = Math.Max(1.0, Math.Round(Time.GetElapsedTime(counter.ReadAt, now) / Period));
        ulong periodUs = (ulong)Math.Max(1.0, Math.Floor(Period.TotalMicroseconds));
        counter = counter with
        {
            EnergyUj = energyUj,
            ReadAt = now,
            PowerMw = CpuPowerMath.Milliwatts(counter.EnergyUj, energyUj, periodUs * (ulong)periods),
        };
        return true;
    }

    /// <summary>One energy counter's baseline and the power last computed from it.</summary>
    private readonly record struct Counter(bool Active, ulong EnergyUj, long ReadAt, uint? PowerMw)
    {
        public static Counter Start(ulong energyUj, long readAt) => new(true, energyUj, readAt, null);
    }
}
