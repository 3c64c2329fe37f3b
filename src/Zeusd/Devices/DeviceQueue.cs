using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Zeusd.Devices;

/// <summary>
/// The management queue of one device: commands run one at a time, in arrival order, on the device they were
/// queued for, on the device's own worker thread. Devices have separate queues and threads, so one slow or hung
/// device never holds up another, and a call stuck in the driver never holds a thread of the shared pool.
/// At most <see cref="DeviceQueueOptions.Depth"/> commands wait; more are refused at once. Every privileged effect
/// goes through here.
/// </summary>
/// <remarks>
/// A small executor rather than a <c>Channel</c> and a consumer thread: when the device is idle and its commands are
/// known to be quick, a waiting caller runs the command on its own thread, which saves the two thread hand-offs
/// (to the worker and back) that otherwise cost more than a fast driver call. That needs the pending queue and the
/// "device in use" flag under one lock, which a channel's separate reader cannot give. Such inline commands are capped
/// across the daemon by an <see cref="InlineCallBudget"/>, since a quick device may still hang while running one on a
/// pool thread. Devices whose commands are slow (real NVML writes take milliseconds) always go through the worker, so
/// a fan-out over several GPUs still runs them concurrently, and a new device's first command is never run inline.
/// </remarks>
public sealed partial class DeviceQueue<TDevice> : IDeviceThread, IAsyncDisposable
{
    /// <summary>How long shutdown waits for a device to finish its current command before leaving it behind.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Commands that took less than this on average run inline on an idle device.</summary>
    private static readonly long InlineThresholdTicks = Stopwatch.Frequency / 50_000; // 20 µs

    private readonly Lock _gate = new();
    private readonly Queue<IWorkItem> _pending = new();
    // One release per hand-over of the device to the worker.
    private readonly SemaphoreSlim _workerWake = new(0);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TDevice _device;
    private readonly ILogger _logger;
    private readonly string _kind;
    private readonly int _depth;
    private readonly InlineCallBudget? _inline;
    private readonly RepeatedFailureLog _failures;
    private Thread? _worker;
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposeStarted;
    private bool _inUse;
    private bool _closed;
    // Moving average of command duration in Stopwatch ticks; starts "slow" so a new device is first measured on its worker.
    private long _averageTicks = long.MaxValue;

    /// <param name="kind">The device kind as clients see it (<c>GPU</c>, <c>CPU</c>).</param>
    public DeviceQueue(TDevice device, string kind, int index, ILogger logger, DeviceQueueOptions? options = null)
    {
        options ??= DeviceQueueOptions.Default;
        _device = device;
        _kind = kind;
        Name = options.Role is null ? $"{kind} {index}" : $"{options.Role} for {kind} {index}";
        _logger = logger;
        _depth = Math.Max(1, options.Depth);
        _inline = options.Inline;
        _failures = new RepeatedFailureLog(Name, logger, options.Time, options.FailureLogInterval);
    }

    /// <summary>Human-readable device name for logs, e.g. <c>GPU 0</c>.</summary>
    public string Name { get; }

    /// <summary>The device the queue drives. Only work that the queue runs may call it.</summary>
    internal TDevice Device => _device;

    /// <summary>False once shutdown gave up waiting for a command stuck in the device.</summary>
    public bool Drained => _drained.Task.IsCompleted;

    /// <summary>
    /// Queues <paramref name="operation"/> and completes with its result once it ran. A device failure
    /// completes the task with that <see cref="DeviceException"/>, as does a full or closed queue.
    /// </summary>
    public ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TDevice, TState, TResult> operation)
    {
        WorkItem<TState, TResult>? item = null;
        bool inline = false, wakeWorker = false;
        lock (_gate)
        {
            if (RefusalUnderLock() is { } refusal)
            {
                return ValueTask.FromException<TResult>(refusal);
            }
            // Only a pool thread is lent to a device: the pool replaces a thread a hung driver call keeps, while a
            // socket engine's event thread (inline socket completions) serves every connection
            // assigned to it.
            if (!_inUse && _inline is not null && Volatile.Read(ref _averageTicks) < InlineThresholdTicks &&
                Thread.CurrentThread.IsThreadPoolThread && _inline.TryEnter())
            {
                _inUse = inline = true;
            }
            else
            {
                item = new WorkItem<TState, TResult>(state, operation);
                wakeWorker = Enqueue(item);
            }
        }
        if (!inline)
        {
            WakeWorkerIf(wakeWorker);
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
            _inline!.Exit();
            Measure(start);
            ReleaseAfterInline();
        }
    }

    ValueTask<TResult> IDeviceThread.RunAsync<TState, TResult>(TState state, Func<TState, TResult> work) =>
        RunAsync((state, work), static (_, s) => s.work(s.state));

    /// <summary>
    /// Queues <paramref name="operation"/> without waiting for it. Execution errors are logged (repeats summarized),
    /// since nobody waits for them. Throws <see cref="DeviceException"/> if the queue is full or closed.
    /// </summary>
    public void Post<TState>(TState state, Action<TDevice, TState> operation, string description)
    {
        bool wakeWorker;
        lock (_gate)
        {
            if (RefusalUnderLock() is { } refusal)
            {
                throw refusal;
            }
            wakeWorker = Enqueue(new FireAndForget<TState>(state, operation, description));
        }
        WakeWorkerIf(wakeWorker);
    }

    private DeviceException? RefusalUnderLock()
    {
        if (_closed)
        {
            return new DeviceException(DeviceErrorKind.QueueClosed, $"{_kind} command send error: channel closed");
        }
        if (_pending.Count >= _depth)
        {
            return new DeviceException(DeviceErrorKind.QueueFull,
                $"{Name} is busy: {_depth} commands are already waiting for it. Retry later.");
        }
        return null;
    }

    /// <summary>Adds a command; returns true when the caller must hand the device to the worker. Call under the lock.</summary>
    private bool Enqueue(IWorkItem item)
    {
        _pending.Enqueue(item);
        if (_inUse)
        {
            return false;
        }
        _inUse = true;
        StartWorkerUnderLock();
        return true;
    }

    /// <summary>The worker thread starts with the first command that needs it (a queue nobody uses costs no thread).</summary>
    private void StartWorkerUnderLock()
    {
        if (_worker is not null)
        {
            return;
        }
        // A background thread: one stuck in a driver call must not keep the process alive after shutdown gave up on it.
        _worker = new Thread(static queue => ((DeviceQueue<TDevice>)queue!).WorkerLoop())
        {
            IsBackground = true,
            Name = Name,
        };
        _worker.UnsafeStart(this);
    }

    private void WakeWorkerIf(bool wake)
    {
        if (wake)
        {
            _workerWake.Release();
        }
    }

    /// <summary>After an inline command: hand the device to the worker if commands arrived meanwhile, else free it.</summary>
    private void ReleaseAfterInline()
    {
        bool wakeWorker;
        lock (_gate)
        {
            bool pending = _pending.Count > 0;
            _inUse = pending;
            if (pending)
            {
                StartWorkerUnderLock();
            }
            else if (_closed)
            {
                _drained.TrySetResult();
            }
            // When closed and free, the wake-up lets an idle worker see that and exit.
            wakeWorker = pending || (_closed && _worker is not null);
        }
        WakeWorkerIf(wakeWorker);
    }

    /// <summary>The worker: each time the device is handed to it, runs pending commands in order until none is left.</summary>
    private void WorkerLoop()
    {
        while (true)
        {
            _workerWake.Wait();
            while (true)
            {
                IWorkItem? item;
                lock (_gate)
                {
                    if (!_pending.TryDequeue(out item))
                    {
                        _inUse = false;
                        if (_closed)
                        {
                            _drained.TrySetResult();
                            return;
                        }
                        break;
                    }
                }
                long start = Stopwatch.GetTimestamp();
                item.Execute(_device, this);
                Measure(start);
            }
        }
    }

    private void Measure(long start)
    {
        long elapsed = Stopwatch.GetTimestamp() - start;
        long average = Volatile.Read(ref _averageTicks);
        // An exponential moving average (1/8 weight); the first measurement replaces the "unknown" start value.
        Volatile.Write(ref _averageTicks, average == long.MaxValue ? elapsed : average + (elapsed - average) / 8);
    }

    /// <summary>
    /// Stops accepting commands and waits for queued ones to finish, but never longer than <see cref="DrainTimeout"/>:
    /// a device stuck inside a driver call must not keep the daemon from exiting (its worker is a background thread).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) == 0)
        {
            _ = DrainAsync();
        }
        return new ValueTask(_disposed.Task);
    }

    private async Task DrainAsync()
    {
        bool wakeIdleWorker;
        lock (_gate)
        {
            _closed = true;
            wakeIdleWorker = !_inUse && _worker is not null;
            if (!_inUse)
            {
                _drained.TrySetResult();
            }
        }
        WakeWorkerIf(wakeIdleWorker);
        try
        {
            await _drained.Task.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            int waiting;
            lock (_gate)
            {
                waiting = _pending.Count;
            }
            Log.StillBusyAtShutdown(_logger, Name, DrainTimeout.TotalSeconds, waiting);
        }
        _failures.Dispose();
        _disposed.TrySetResult();
    }

    /// <summary>
    /// Disposes all <paramref name="queues"/> at once (a stop takes one drain timeout however many devices hang);
    /// true if every one of them finished its commands.
    /// </summary>
    public static async Task<bool> DisposeAllAsync(IEnumerable<DeviceQueue<TDevice>> queues)
    {
        var all = queues.ToArray();
        await Task.WhenAll(all.Select(queue => queue.DisposeAsync().AsTask())).ConfigureAwait(false);
        return all.All(queue => queue.Drained);
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
                queue._failures.Report(description, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "{Device} is still inside a device call after {Seconds} s ({Waiting} more commands waiting); exiting without waiting for it")]
        public static partial void StillBusyAtShutdown(ILogger logger, string device, double seconds, int waiting);
    }
}
