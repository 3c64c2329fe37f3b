using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Zeusd.Devices;

/// <summary>
/// The management queue of one device: commands run one at a time, in arrival order, on the device they were
/// queued for. Devices have separate queues, so one slow or hung device never holds up another.
/// Every privileged effect goes through here.
/// </summary>
public sealed partial class DeviceQueue<TDevice> : IAsyncDisposable
{
    private readonly Channel<IWorkItem> _channel = Channel.CreateUnbounded<IWorkItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly TDevice _device;
    private readonly ILogger _logger;
    private readonly Task _worker;
    private readonly string _kind;

    /// <param name="kind">The device kind as clients see it (<c>GPU</c>, <c>CPU</c>).</param>
    public DeviceQueue(TDevice device, string kind, int index, ILogger logger)
    {
        _device = device;
        _kind = kind;
        Name = $"{kind} {index}";
        _logger = logger;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Human-readable device name for logs, e.g. <c>GPU 0</c>.</summary>
    public string Name { get; }

    /// <summary>The device the queue drives. Only the queue's worker may call it.</summary>
    internal TDevice Device => _device;

    /// <summary>
    /// Queues <paramref name="operation"/> and completes with its result once it ran. A device failure
    /// completes the task with that <see cref="DeviceException"/>.
    /// </summary>
    public Task<TResult> RunAsync<TState, TResult>(TState state, Func<TDevice, TState, TResult> operation)
    {
        var item = new WorkItem<TState, TResult>(state, operation);
        if (!_channel.Writer.TryWrite(item))
        {
            return Task.FromException<TResult>(QueueClosed());
        }
        return item.Task;
    }

    /// <summary>
    /// Queues <paramref name="operation"/> without waiting for it. Execution errors are logged, since nobody waits
    /// for them. Throws <see cref="DeviceException"/> only if the queue no longer accepts commands.
    /// </summary>
    public void Post<TState>(TState state, Action<TDevice, TState> operation, string description)
    {
        var item = new FireAndForget<TState>(state, operation, description);
        if (!_channel.Writer.TryWrite(item))
        {
            throw QueueClosed();
        }
    }

    private DeviceException QueueClosed() =>
        new(DeviceErrorKind.QueueClosed, $"{_kind} command send error: channel closed");

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                item.Execute(_device, this);
            }
        }
    }

    /// <summary>How long shutdown waits for a device to finish its current command before leaving it behind.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Stops accepting commands and waits for queued ones to finish, but never longer than <see cref="DrainTimeout"/>:
    /// a device stuck inside a driver call must not keep the daemon from exiting.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.StillBusyAtShutdown(_logger, Name, DrainTimeout.TotalSeconds);
        }
    }

    private interface IWorkItem
    {
        void Execute(TDevice device, DeviceQueue<TDevice> queue);
    }

    // Deriving from TaskCompletionSource saves one allocation per command on the hot path.
    private sealed class WorkItem<TState, TResult>(TState state, Func<TDevice, TState, TResult> operation)
        : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), IWorkItem
    {
        public void Execute(TDevice device, DeviceQueue<TDevice> queue)
        {
            try
            {
                TrySetResult(operation(device, state));
            }
            catch (Exception ex)
            {
                TrySetException(ex);
            }
        }
    }

    private sealed class FireAndForget<TState>(TState state, Action<TDevice, TState> operation, string description)
        : IWorkItem
    {
        public void Execute(TDevice device, DeviceQueue<TDevice> queue)
        {
            try
            {
                operation(device, state);
            }
            catch (Exception ex)
            {
                Log.NonBlockingCommandFailed(queue._logger, queue.Name, description, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Device}: non-blocking {Command} failed: {Error}")]
        public static partial void NonBlockingCommandFailed(ILogger logger, string device, string command, string error);

        [LoggerMessage(2, LogLevel.Warning, "{Device} is still inside a device call after {Seconds} s; exiting without waiting for it")]
        public static partial void StillBusyAtShutdown(ILogger logger, string device, double seconds);
    }
}
