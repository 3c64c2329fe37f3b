using System.Net;
using Microsoft.Extensions.Logging;
using Zeusd.Api;
using Zeusd.Api.Legacy;
using Zeusd.Auth;
using Zeusd.Common;
using Zeusd.Configuration;
using Zeusd.Devices;
using Zeusd.Devices.Cpu;
using Zeusd.Devices.Gpu;
using Zeusd.Devices.Gpu.AmdSmi;
using Zeusd.Devices.Gpu.Nvml;
using Zeusd.Devices.Gpu.Simulated;
using Zeusd.GpuWrites;
using Zeusd.Interop.AmdSmi;
using Zeusd.Restore;
using Zeusd.Streaming;
using Zeusd.Transports;

namespace Zeusd.Hosting;

/// <summary>
/// The composition root: the one place that decides which backends, decorators, write hooks and routes the daemon has,
/// and in what order they start and stop. <see cref="Build"/> initializes devices in the original daemon's order (so the
/// same error wins) and registers every service and listener before the web host is built; <see cref="RunAsync"/>
/// binds only once every device is ready; <see cref="DisposeAsync"/> tears down in an explicit order.
/// </summary>
public sealed partial class DaemonHost : IAsyncDisposable
{
    /// <summary>How long SIGTERM waits for in-flight requests.</summary>
    public static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(5);

    private readonly ServeOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private NodeDevices? _devices;
    private StreamRoutes? _streams;
    private SettingsRestorer? _restorer;
    private WebApplication? _app;

    private DaemonHost(ServeOptions options, ILoggerFactory loggers)
    {
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Zeusd");
    }

    /// <summary>The GPU backends this binary has, in <c>auto</c>'s probe order. ROCm exists only for Linux.</summary>
    private IGpuBackendProvider[] GpuBackendProviders() => OperatingSystem.IsLinux()
        ? [new NvmlBackendProvider(), new AmdSmiBackendProvider(AmdSmiLibrarySearch.Default, _loggers.CreateLogger("Zeusd.AmdSmi"))]
        : [new NvmlBackendProvider()];

    /// <exception cref="StartupException">The daemon cannot start with these options on this node.</exception>
    public static DaemonHost Build(ServeOptions options, TimeProvider time)
    {
        var host = new DaemonHost(options, DaemonLogging.CreateFactory(options.LogLevel));
        try
        {
            host.Compose(time);
            return host;
        }
        catch
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private void Compose(TimeProvider time)
    {
        var options = _options;
        Log.Loaded(_logger, options.ToString());
        if (options.LegacyCommandLine)
        {
            Log.LegacyCommandLine(_logger, options.SocketPath);
        }
        if (options.GpuCommandOverrides is not null)
        {
            throw new StartupException("GPU command overrides (--gpu-command-overrides) are not supported by this zeusd");
        }
        bool gpuEnabled = options.IsEnabled(ApiGroup.GpuControl) || options.IsEnabled(ApiGroup.GpuRead);
        var gpuBackend = !gpuEnabled ? null
            : options.Simulate ? new SimulatedGpuBackend(SimulatedGpuBackend.NodeGpuCount, time)
            : new GpuBackendRegistry(GpuBackendProviders()).Resolve(options.GpuBackend, _logger);

        PrivilegeCheck.Require(options);
        var verifier = AuthSetup.CreateVerifier(options.SigningKeyPath, time, _logger);
        if (options.Mode == TransportMode.Tcp && verifier is null)
        {
            Log.TcpWithoutAuth(_logger);
        }

        var gpus = gpuBackend is null
            ? GpuFleet.Empty
            : GpuFleet.Open(gpuBackend, GpuDecorators(), openPollerHandles: options.IsEnabled(ApiGroup.GpuRead), _loggers);
        var cpuBackend = options.IsEnabled(ApiGroup.CpuRead) ? CpuBackendResolver.Resolve(options.Simulate, time, _logger) : null;
        var cpus = cpuBackend is null ? CpuFleet.Empty : CpuFleet.Open(cpuBackend, time, _loggers);
        _devices = new NodeDevices(gpus, cpus);
        if (options.Restore != RestoreMode.Never && gpus.Count > 0)
        {
            _restorer = SettingsRestorer.Open(options, gpus, time, _loggers);
        }
        var tcpEndpoints = options.Mode == TransportMode.Tcp ? TcpBindAddress.Resolve(options.TcpBindAddress) : [];

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "zeusd" });
        builder.Services.AddSingleton(_loggers);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownBudget);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinRequestBodyDataRate = null;
            // Room for oversized bearer tokens, so they get the 401 a client can act on rather than a 431.
            kestrel.Limits.MaxRequestHeadersTotalSize = 128 * 1024;
        });
        RegisterTransport(builder.WebHost, tcpEndpoints);
        var app = _app = builder.Build();

        _streams = new StreamRoutes(options, _devices, time, _loggers, app.Lifetime.ApplicationStopping);
        var writes = new GpuWritePipeline(gpus, authorizer: null, GpuWriteHooks(), _loggers.CreateLogger<GpuWritePipeline>());
        _restorer?.Attach(writes);
        var routes = new RouteTable();
        new ServerRoutes(gpus, cpus, options.Enable, authRequired: verifier is not null, time).Register(routes);
        WhoamiRoute.Register(routes);
        new GpuRoutes(gpus, writes, time).Register(routes);
        new RestoreRoutes(gpus, _restorer).Register(routes);
        new CpuRoutes(cpus, time, options.CpuPollPeriod).Register(routes);
        new LegacyGpuRoutes(gpus, writes).Register(routes);
        new LegacyCpuRoutes(cpus).Register(routes);
        _streams.Register(routes);
        Log.Discovery(_logger, gpus.Count, cpus.Count, string.Join(',', options.Enable.Select(g => g.WireName())));

        if (options.LogLevel <= LogLevel.Debug)
        {
            app.Use(new RequestLogging(_loggers.CreateLogger<RequestLogging>()).Middleware);
        }
        var gate = new AccessGate(options.Enable, verifier, _loggers.CreateLogger<AccessGate>());
        app.Run(routes.Build(gate));
    }

    /// <summary>The decorators every GPU's management handle is wrapped in, innermost first.</summary>
    private static IGpuDecorator[] GpuDecorators() =>
        // Windows rules for persistence mode: NVML's persistence API is Linux-only.
        OperatingSystem.IsWindows() ? [new PersistenceAlwaysOnDecorator()] : [];

    /// <summary>The hooks that run around every GPU write, in order. The restore journal comes first: its record must be
    /// on disk before anything else acts on the write.</summary>
    private GpuWriteHook[] GpuWriteHooks() => _restorer is null ? [] : [_restorer.Hook];

    /// <summary>Registers the listener of <c>--mode</c>; Kestrel binds it when the server starts.</summary>
    private void RegisterTransport(IWebHostBuilder web, IPEndPoint[] tcpEndpoints)
    {
        switch (_options.Mode)
        {
            case TransportMode.Uds:
                // Restores follow the connecting process (SO_PEERCRED), read once per connection.
                web.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(_options.SocketPath,
                    _options.Restore == RestoreMode.Never ? _ => { } : PeerCredentials.ReadOnEveryConnection));
                break;
            case TransportMode.Tcp:
                web.ConfigureKestrel(kestrel =>
                {
                    foreach (var endpoint in tcpEndpoints)
                    {
                        kestrel.Listen(endpoint);
                    }
                });
                break;
            case TransportMode.NamedPipe:
                if (!OperatingSystem.IsWindows())
                {
                    throw new StartupException("--mode named-pipe is only supported on Windows");
                }
                NamedPipeTransport.Register(web, _options.PipeName, _options.PipeSddl);
                break;
        }
    }

    /// <summary>Binds, applies the socket's mode and owner, tells systemd, and serves until the host stops.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        var app = _app!;
        if (_restorer is not null)
        {
            // Before the socket exists: no client sees a GPU a crashed daemon left changed.
            await _restorer.RestoreLeftoversAsync();
        }
        if (_options.Mode == TransportMode.Uds)
        {
            UnixSocketPreparer.Prepare(_options.SocketPath, _logger);
        }
        await StartListeningAsync(app, cancellation);
        AfterBind();
        SystemdNotifier.FromEnvironment(_loggers.CreateLogger<SystemdNotifier>()).NotifyReadyUntilStopping(app.Lifetime);
        await app.WaitForShutdownAsync(cancellation);
    }

    /// <summary>Starts Kestrel; a listen address it cannot bind is a startup error, not a crash.</summary>
    private async Task StartListeningAsync(WebApplication app, CancellationToken cancellation)
    {
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            string where = _options.Mode switch
            {
                TransportMode.Uds => _options.SocketPath,
                TransportMode.Tcp => _options.TcpBindAddress,
                _ => _options.PipeName,
            };
            throw new StartupException($"Failed to listen on {where}: {ex.Message}", ex);
        }
    }

    private void AfterBind()
    {
        switch (_options.Mode)
        {
            case TransportMode.Uds when !OperatingSystem.IsWindows():
                var access = new UnixSocketAccess(UnixSocketAccess.ParseMode(_options.SocketPermissions), _options.SocketUid, _options.SocketGid);
                access.Apply(_options.SocketPath);
                Log.ListeningUnix(_logger, _options.SocketPath, _options.SocketPermissions);
                break;
            case TransportMode.Tcp:
                Log.ListeningTcp(_logger, _options.TcpBindAddress);
                break;
            case TransportMode.NamedPipe:
                Log.ListeningPipe(_logger, _options.PipeName, _options.PipeSddl);
                break;
        }
    }

    /// <summary>
    /// Teardown, in this order whatever happened before: the web host (already stopped by then: no request runs) →
    /// the restores of <c>--restore shutdown|client</c> (queued on the GPUs; the devices' drain runs them) → the stream
    /// pollers (no poll outlives the device handles) → the devices (queues drained within their budget) → the loggers
    /// (flushed last, so every line above is written).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _restorer?.RestoreAllAtShutdown();
        if (_streams is not null)
        {
            await _streams.DisposeAsync();
        }
        if (_devices is not null)
        {
            await _devices.DisposeAsync();
        }
        _loggers.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loaded {Options}")]
        public static partial void Loaded(ILogger logger, string options);

        [LoggerMessage(2, LogLevel.Warning, "Running in TCP mode without authentication. Set --signing-key-path for production use.")]
        public static partial void TcpWithoutAuth(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Serving {Gpus} GPU(s) and {Cpus} CPU package(s); API groups: {Groups}")]
        public static partial void Discovery(ILogger logger, int gpus, int cpus, string groups);

        [LoggerMessage(4, LogLevel.Information, "Listening on {Path} (permissions {Permissions})")]
        public static partial void ListeningUnix(ILogger logger, string path, string permissions);

        [LoggerMessage(5, LogLevel.Information, "Listening on {Address}")]
        public static partial void ListeningTcp(ILogger logger, string address);

        [LoggerMessage(6, LogLevel.Information, "Listening on named pipe {Name} (SDDL: {Sddl})")]
        public static partial void ListeningPipe(ILogger logger, string name, string sddl);

        [LoggerMessage(7, LogLevel.Warning, "Running zeusd without a subcommand is deprecated; use 'zeusd serve --socket-path {SocketPath}' (the serve default socket is /run/zeusd/zeusd.sock)")]
        public static partial void LegacyCommandLine(ILogger logger, string socketPath);
    }
}
