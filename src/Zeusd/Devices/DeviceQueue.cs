using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Zeusd.Devices;

/// <summary>
/// The management queue of one device: commands run one at a time, in arrival order, on the device they were
/// queued for. Devices have separate queues, so one slow or hung device never holds up another.
/// Every privileged effect goes through here.
/// </summary>
/// <remarks>
/// A small executor rather than a <c>Channel</c> and a consumer task: when the device is idle and its commands are
/// known to be quick, a waiting caller runs the command on its own thread, which saves the two thread hand-offs
/// (to the worker and back) that otherwise cost more than a fast driver call. That needs the pending queue and the
/// "device in use" flag under one lock, which a channel's separate reader cannot give. Devices whose commands are
/// slow (real NVML writes take milliseconds) always go through a pool thread, so a fan-out over several GPUs still
/// runs them concurrently, and a new device's first command is never run inline.
/// </remarks>
public sealed partial class DeviceQueue<TDevice> : IThreadPoolWorkItem, IAsyncDisposable
{
    /// <summary>How long shutdown waits for a device to finish its current command before leaving it behind.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Commands that took less than this on average run inline on an idle device.</summary>
    private static readonly long InlineThresholdTicks = Stopwatch.Frequency / 50_000; // 20 µs

    private readonly Lock _gate = new();
    private readonly Queue<IWorkItem> _pending = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TDevice _device;
    private readonly ILogger _logger;
    private readonly string _kind;
    private bool _inUse;
    private bool _closed;
    // Moving average of command duration in Stopwatch ticks; starts "slow" so a new device is first measured on a pool thread.
    private long _averageTicks = long.MaxValue;

    /// <param name="kind">The device kind as clients see it (<c>GPU</c>, <c>CPU</c>).</param>
    public DeviceQueue(TDevice device, string kind, int index, ILogger logger)
    {
        _device = device;
        _kind = kind;
        Name = $"{kind} {index}";
        _logger = logger;
    }

    /// <summary>Human-readable device name for logs, e.g. <c>GPU 0</c>.</summary>
    public string Name { get; }

    /// <summary>The device the queue drives. Only the queue may call it.</summary>
    internal TDevice Device => _device;

    /// <summary>
    /// Queues <paramref name="operation"/> and completes with its result once it ran. A device failure
    /// completes the task with that <see cref="DeviceException"/>.
    /// </summary>
    public ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TDevice, TState, TResult> operation)
    {
        WorkItem<TState, TResult>? item = null;
        bool inline = false, startWorker = false;
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromException<TResult>(QueueClosed());
            }
            if (!_inUse && Volatile.Read(ref _averageTicks) < InlineThresholdTicks)
            {
                _inUse = inline = true;
            }
            else
            {
                item = new WorkItem<TState, TResult>(state, operation);
                startWorker = Enqueue(item);
            }
        }
        if (!inline)
        {
            StartWorkerIf(startWorker);
            return new ValueTask<TResult>(item!.Task);
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            return new ValueTask<TResult>(operation(_device, state));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<TResult>(ex);
        }
        finally
        {
            Measure(start);
            ReleaseAfterInline();
        }
    }

    /// <summary>
    /// Queues <paramref name="operation"/> without waiting for it. Execution errors are logged, since nobody waits
    /// for them. Throws <see cref="DeviceException"/> only if the queue no longer accepts commands.
    /// </summary>
    public void Post<TState>(TState state, Action<TDevice, TState> operation, string description)
    {
        bool startWorker;
        lock (_gate)
        {
            if (_closed)
            {
                throw QueueClosed();
            }
            startWorker = Enqueue(new FireAndForget<TState>(state, operation, description));
        }
        StartWorkerIf(startWorker);
    }

    /// <summary>Adds a command; returns true when the caller must start the worker. Call under the lock.</summary>
    private bool Enqueue(IWorkItem item)
    {
        _pending.Enqueue(item);
        if (_inUse)
        {
            return false;
        }
        _inUse = true;
        return true;
    }

    private void StartWorkerIf(bool start)
    {
        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>After an inline command: hand the device to a worker if commands arrived meanwhile, else free it.</summary>
    private void ReleaseAfterInline()
    {
        bool startWorker;
        lock (_gate)
        {
            startWorker = _pending.Count > 0;
            _inUse = startWorker;
            if (!startWorker && _closed)
            {
                _drained.TrySetResult();
            }
        }
        StartWorkerIf(startWorker);
    }

    /// <summary>The worker: runs pending commands in order until none is left, then frees the device.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            IWorkItem item;
            lock (_gate)
            {
                if (!_pending.TryDequeue(out item!))
                {
                    _inUse = false;
                    if (_closed)
                    {
                        _drained.TrySetResult();
                    }
                    return;
                }
            }
            long start = Stopwatch.GetTimestamp();
            item.Execute(_device, this);
            Measure(start);
        }
    }

    private void Measure(long start)
    {
        long elapsed = Stopwatch.GetTimestamp() - start;
        long average = Volatile.Read(ref _averageTicks);
        // An exponential moving average (1/8 weight); the first measurement replaces the "unknown" start value.
        Volatile.Write(ref _averageTicks, average == long.MaxValue ? elapsed : average + (elapsed - average) / 8);
    }

    private DeviceException QueueClosed() =>
        new(DeviceErrorKind.QueueClosed, $"{_kind} command send error: channel closed");

    /// <summary>
    /// Stops accepting commands and waits for queued ones to finish, but never longer than <see cref="DrainTimeout"/>:
    /// a device stuck inside a driver call must not keep the daemon from exiting.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
            if (!_inUse)
            {
                _drained.TrySetResult();
            }
        }
        try
        {
            await _drained.Task.WaitAsync(DrainTimeout).ConfigureAwait(false);
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

    // Deriving from TaskCompletionSource saves one allocation per queued command.
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
