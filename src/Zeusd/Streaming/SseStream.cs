using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Zeusd.Streaming;

/// <summary>
/// Serves one SSE response: 200 with <c>text/event-stream</c> and <c>no-cache</c>, then each new sample of the
/// subscribed devices as soon as it is published, until the client leaves or the daemon stops.
/// </summary>
public static class SseStream
{
    public const string ContentType = "text/event-stream";

    /// <summary>
    /// What each of a response's two output buffers (Kestrel's response buffer and the socket transport's, set for
    /// every response) may hold before the writer waits for the client. A stream whose client stops reading holds that
    /// much once the kernel's socket buffer is full (measured: 128 KiB per such stream with the 64 KiB defaults, 64 KiB
    /// with these), then waits and skips samples like any slow subscriber. Every other answer is far smaller.
    /// </summary>
    public const int MaxBufferedBytes = 16 * 1024;

    public static async Task RunAsync(HttpContext context, DevicePoller[] pollers, TimeProvider time, CancellationToken stopping)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        // Assigned as a plain string: nothing may add a charset (the Python tests compare the whole header).
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // On HTTP/1.1 the chunk framing is part of each sample's shared bytes: when the app sets the header, Kestrel
        // passes the body through, so a wake-up that carries several events costs one copy each and one flush.
        bool ownChunking = HttpProtocol.IsHttp11(context.Request.Protocol);
        if (ownChunking)
        {
            response.Headers.TransferEncoding = "chunked";
        }
        // No buffering layer may hold events back.
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var subscription = new StreamSubscription(pollers, time);
        using var wakeOnEnd = ending.Token.UnsafeRegister(static signal => ((AsyncSignal)signal!).Notify(), subscription.Signal);
        var writer = response.BodyWriter;
        try
        {
            // Headers go out now, even when no event will ever follow (zero devices).
            await writer.FlushAsync(ending.Token);
            while (true)
            {
                await subscription.Signal.WaitAsync();
                if (ending.IsCancellationRequested)
                {
                    break;
                }
                if (subscription.WritePending(writer, ownChunking) == 0)
                {
                    continue;
                }
                var flushed = await writer.FlushAsync(ending.Token);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
        }
        if (ownChunking && !context.RequestAborted.IsCancellationRequested)
        {
            // The daemon is stopping: end the body properly rather than leave the client a truncated chunked stream.
            writer.Write(SseEventEncoder.LastChunk);
            await writer.FlushAsync(CancellationToken.None);
        }
    }
}
