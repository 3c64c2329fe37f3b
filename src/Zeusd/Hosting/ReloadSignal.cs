using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Zeusd.Interop.Libc;

namespace Zeusd.Hosting;

/// <summary>
/// SIGHUP, the conventional "re-read your configuration" signal (<c>systemctl reload</c>, a closed terminal). Unhandled,
/// it terminates the process, so a stray SIGHUP would take the node's GPU API down. Here it is the one place a reload
/// hooks into: subscribers of <see cref="Reloading"/> run on each SIGHUP; with none, it is logged and ignored.
/// </summary>
public sealed partial class ReloadSignal : IDisposable
{
    private readonly ILogger _logger;
    private readonly PosixSignalRegistration? _registration;

    public ReloadSignal(ILogger logger)
    {
        _logger = logger;
        if (!OperatingSystem.IsWindows())
        {
            // Started under nohup (or by a parent that ignores SIGHUP), the daemon inherits SIGHUP ignored, and the
            // runtime leaves an ignored signal ignored: `kill -HUP` would silently reload nothing. Ignoring hangups is
            // still what happens (the handler below never exits), so the inherited disposition is reset first.
            if (Libc.IsIgnored(Libc.SIGHUP))
            {
                Libc.Signal(Libc.SIGHUP, Libc.SIG_DFL);
            }
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        }
    }

    /// <summary>Raised on every SIGHUP, on a thread-pool thread; a subscriber's exception is logged, never fatal.</summary>
    public event Action? Reloading;

    public void Dispose() => _registration?.Dispose();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // keep running: the default action would terminate the daemon
        var subscribers = Reloading;
        if (subscribers is null)
        {
            Log.NothingToReload(_logger);
            return;
        }
        Log.Reloading(_logger);
        foreach (var reload in subscribers.GetInvocationList().Cast<Action>())
        {
            try
            {
                reload();
            }
            catch (Exception ex)
            {
                Log.ReloadFailed(_logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "SIGHUP received; nothing to reload, ignoring it.")]
        public static partial void NothingToReload(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "SIGHUP received; reloading.")]
        public static partial void Reloading(ILogger logger);

        [LoggerMessage(3, LogLevel.Error, "Reload after SIGHUP failed; the previous configuration stays in effect.")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
