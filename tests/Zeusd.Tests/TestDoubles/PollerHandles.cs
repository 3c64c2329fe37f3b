using Microsoft.Extensions.Logging.Abstractions;
using Zeusd.Devices;

namespace Zeusd.Tests.TestDoubles;

/// <summary>
/// Poller handles as the fleets make them: a device behind its own queue whose commands never run inline. Disposing
/// closes every handle made, after the pollers that use them stopped.
/// </summary>
public sealed class PollerHandles : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _queues = [];

    public DeviceQueue<TDevice> Of<TDevice>(TDevice device, string kind = "GPU", int index = 0)
    {
        var queue = new DeviceQueue<TDevice>(device, kind, index, NullLogger.Instance,
            new DeviceQueueOptions { Inline = null, Role = "Power poller" });
        lock (_queues)
        {
            _queues.Add(queue);
        }
        return queue;
    }

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] queues;
        lock (_queues)
        {
            queues = [.. _queues];
        }
        foreach (var queue in queues)
        {
            await queue.DisposeAsync();
        }
    }
}
