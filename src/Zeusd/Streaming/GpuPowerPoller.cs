using Microsoft.Extensions.Logging;
using Zeusd.Devices;
using Zeusd.Devices.Gpu;
using Zeusd.Common;

namespace Zeusd.Streaming;

/// <summary>
/// Polls one GPU's instantaneous power through its own handle. The first poll of a session happens at once; a sample
/// is published when the value differs from the last one published in the session (no heartbeat, contract §5.2), or
/// when a new subscriber needs a fresh first sample. All GPU pollers poll at the same instants, so their samples
/// reach a subscriber of several GPUs together.
/// </summary>
public sealed class GpuPowerPoller(int gpuId, IGpu gpu, TimeSpan period, TimeProvider time, ILogger logger)
    : DevicePoller($"GPU {gpuId}", period, time, logger)
{
    private uint? _lastPublished;

    protected override bool PollsOnWake => true;

    /// <summary>Every GPU polls at the same instants (multiples of the period), whenever its session started.</summary>
    protected override long ScheduleOrigin(long sessionStart) => 0;

    protected override bool BeginSession()
    {
        _lastPublished = null;
        return true;
    }

    protected override bool Poll(bool mustPublish)
    {
        uint powerMw;
        try
        {
            powerMw = gpu.GetInstantPower();
        }
        catch (DeviceException ex)
        {
            ReportReadFailure("power", ex);
            return false;
        }
        ReportReadSucceeded();
        if (!mustPublish && _lastPublished == powerMw)
        {
            return false;
        }
        _lastPublished = powerMw;
        Slot.Publish(SseEventEncoder.Gpu(Slot.NextSequence(), Time.GetTimestamp(), UnixTime.Milliseconds(Time), gpuId, powerMw));
        return true;
    }
}
