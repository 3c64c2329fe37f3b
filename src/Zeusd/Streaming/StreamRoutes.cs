using Microsoft.Extensions.Logging;
using Zeusd.Api;
using Zeusd.Configuration;
using Zeusd.Devices;

namespace Zeusd.Streaming;

/// <summary>
/// <c>/gpu/stream_power</c> (group gpu-read) and <c>/cpu/stream_power</c> (group cpu-read), contract §5: one poller
/// per device, created with the routes and idle until subscribed; every stream ends when the daemon stops.
/// Dispose after the server stopped and before the devices close.
/// </summary>
public sealed partial class StreamRoutes(
    ServeOptions options, NodeDevices devices, TimeProvider time, ILoggerFactory loggers, CancellationToken stopping)
    : IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<StreamRoutes>();
    private readonly StreamLimit _limit = new(options.MaxStreams);
    private DevicePoller[] _gpuPollers = [];
    private DevicePoller[] _cpuPollers = [];
    private readonly int[] _openStreams = new int[2]; // GPU, CPU

    /// <summary>Open power streams of one device kind (a stream of several devices counts once).</summary>
    public int Subscribers(DeviceKind kind) => Volatile.Read(ref _openStreams[kind == DeviceKind.Gpu ? 0 : 1]);

    /// <summary>Starts the pollers of the enabled groups and registers both routes (the gate refuses disabled ones).</summary>
    public void Register(RouteTable routes)
    {
        routes.Get("/gpu/stream_power", ApiGroup.GpuRead, context => Stream(context, DeviceKind.Gpu, GpuQuerySpecs.Read, _gpuPollers));
        routes.Get("/cpu/stream_power", ApiGroup.CpuRead, context => Stream(context, DeviceKind.Cpu, CpuQuerySpecs.Read, _cpuPollers));
        if (options.IsEnabled(ApiGroup.GpuRead))
        {
            var pollerLogger = loggers.CreateLogger<GpuPowerPoller>();
            var handles = devices.Gpus.PollerQueues;
            _gpuPollers = [.. handles.Select((gpu, id) => new GpuPowerPoller(id, gpu, options.GpuPollPeriod, time, pollerLogger))];
            WarnIfAggressive("GPU", options.GpuPollPeriod);
            Start(_gpuPollers);
        }
        if (options.IsEnabled(ApiGroup.CpuRead))
        {
            var pollerLogger = loggers.CreateLogger<CpuPowerPoller>();
            var handles = devices.Cpus.PollerQueues;
            _cpuPollers = [.. handles.Select((package, id) => new CpuPowerPoller(id, package, options.CpuPollPeriod, time, pollerLogger))];
            WarnIfAggressive("CPU", options.CpuPollPeriod);
            Start(_cpuPollers);
        }
    }

    /// <summary>
    /// Query (400 text) → id list (400 JSON) → unknown ids (400 JSON) → stream limit (503 JSON) → the stream of the
    /// chosen devices.
    /// </summary>
    private async Task Stream(HttpContext context, DeviceKind kind, QuerySpec spec, DevicePoller[] all)
    {
        int[] allIds = [.. Enumerable.Range(0, all.Length)];
        if (DeviceQuery.Parse(context, spec, kind, allIds, IdListRule.Stream, out _, out var ids) is { } error)
        {
            await error;
            return;
        }
        var chosen = ids.Length == all.Length ? all : [.. ids.Select(id => all[id])];
        if (!_limit.TryOpen())
        {
            var response = context.Response;
            HttpErrorMap.AddHeaders(response, StatusCodes.Status503ServiceUnavailable);
            await Responses.Error(response, StatusCodes.Status503ServiceUnavailable,
                $"Too many power streams: {_limit.Max} are open, the most this server allows (--max-streams). Retry later.");
            return;
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.StreamOpened(_logger, kind == DeviceKind.Gpu ? "GPU" : "CPU", string.Join(',', chosen.Select(p => p.Name)));
        }
        int slot = kind == DeviceKind.Gpu ? 0 : 1;
        Interlocked.Increment(ref _openStreams[slot]);
        try
        {
            await SseStream.RunAsync(context, chosen, time, stopping);
        }
        finally
        {
            _limit.Close();
            Interlocked.Decrement(ref _openStreams[slot]);
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.StreamClosed(_logger, kind == DeviceKind.Gpu ? "GPU" : "CPU", context.RequestAborted.IsCancellationRequested);
        }
    }

    private static void Start(DevicePoller[] pollers)
    {
        foreach (var poller in pollers)
        {
            poller.Start();
        }
    }

    /// <summary>Very fast polling is allowed (the original's maintainers rejected a clamp, PR #284), but said aloud.</summary>
    private void WarnIfAggressive(string kind, TimeSpan period)
    {
        if (period < TimeSpan.FromMilliseconds(1))
        {
            Log.AggressivePolling(_logger, kind, (long)period.TotalMicroseconds);
            Log.TimerFloor(_logger, kind, DevicePoller.FinestTimerPeriod.TotalMilliseconds);
        }
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_gpuPollers.Concat(_cpuPollers).Select(poller => poller.DisposeAsync().AsTask()));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Kind} power polling: from the requested polling frequency, the interval between polling will be {IntervalUs} us. A high polling frequency can in turn increase the power draw of the processor.")]
        public static partial void AggressivePolling(ILogger logger, string kind, long intervalUs);

        [LoggerMessage(4, LogLevel.Information, "{Kind} power pollers will poll at most every {Milliseconds} ms, the finest period of this daemon's timers; power is still computed for the requested period")]
        public static partial void TimerFloor(ILogger logger, string kind, double milliseconds);

        [LoggerMessage(2, LogLevel.Debug, "{Kind} power stream opened for {Devices}")]
        public static partial void StreamOpened(ILogger logger, string kind, string devices);

        [LoggerMessage(3, LogLevel.Debug, "{Kind} power stream closed (client left: {ClientLeft})")]
        public static partial void StreamClosed(ILogger logger, string kind, bool clientLeft);
    }
}
