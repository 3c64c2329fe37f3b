namespace Zeusd.Devices;

/// <summary>
/// The thread that makes one device handle's hardware calls: work given to it runs there, in order with the handle's
/// other work, so a call stuck in the driver holds that thread and nothing shared.
/// </summary>
public interface IDeviceThread
{
    /// <summary>For logs, e.g. <c>GPU 0</c> or <c>Power poller for GPU 0</c>.</summary>
    string Name { get; }

    /// <summary>Runs <paramref name="work"/> on the device's thread and completes with its result.</summary>
    ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, TResult> work);
}
