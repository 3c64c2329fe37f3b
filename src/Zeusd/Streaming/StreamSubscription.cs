using System.Buffers;
using System.IO.Pipelines;

namespace Zeusd.Streaming;

/// <summary>
/// One client's subscription to some devices' pollers: a single wake-up shared by all its devices and, per device,
/// the sequence number of the last sample it was sent. Disposing it unsubscribes from every poller.
/// </summary>
public sealed class StreamSubscription : IDisposable
{
    private readonly DevicePoller[] _pollers;
    private readonly long[] _sent;

    /// <summary>
    /// Subscribes to each poller. A stored sample younger than one period is delivered at once; an older one (the value
    /// of a GPU whose power has not changed in a while) is skipped and the poller is asked to publish its next poll,
    /// so the first event of a device is never older than one period.
    /// </summary>
    public StreamSubscription(DevicePoller[] pollers, TimeProvider time)
    {
        _pollers = pollers;
        _sent = new long[pollers.Length];
        for (int i = 0; i < pollers.Length; i++)
        {
            var poller = pollers[i];
            // Subscribe before looking at the slot, so that no publish in between goes unnoticed.
            poller.Subscribe(Signal);
            var latest = poller.Slot.Latest;
            if (latest is not null && time.GetElapsedTime(latest.PolledAt) < poller.Period)
            {
                _sent[i] = latest.Sequence - 1;
                Signal.Notify();
            }
            else
            {
                _sent[i] = latest?.Sequence ?? 0;
                poller.Slot.RequestFreshSample();
            }
        }
    }

    /// <summary>Notified by every publish of a subscribed device (and by whoever ends the stream).</summary>
    public AsyncSignal Signal { get; } = new();

    /// <summary>
    /// Writes each device's newest sample that this client has not been sent yet, as a ready chunk or as a bare event.
    /// </summary>
    /// <returns>How many events were written.</returns>
    public int WritePending(PipeWriter writer, bool asChunks)
    {
        int written = 0;
        for (int i = 0; i < _pollers.Length; i++)
        {
            if (_pollers[i].Slot.Latest is { } sample && sample.Sequence > _sent[i])
            {
                _sent[i] = sample.Sequence;
                writer.Write(asChunks ? sample.Chunk : sample.Event.Span);
                written++;
            }
        }
        return written;
    }

    public void Dispose()
    {
        foreach (var poller in _pollers)
        {
            poller.Unsubscribe(Signal);
        }
    }
}
