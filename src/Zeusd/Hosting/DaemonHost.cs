using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
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
using Zeusd.Logging;
using Zeusd.Policy;
using Zeusd.Overrides;
using Zeusd.Metrics;
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
    private readonly LineLoggerProvider _lines;
    private readonly ILogger _logger;
    private NodeDevices? _devices;
    private StreamRoutes? _streams;
    private SettingsRestorer? _restorer;
    private WebApplication? _app;
    private ReloadSignal? _reload;
    private ConnectionLimit? _connectionLimit;
    private ulong? _openFileLimit;
    private UnixSocketListener? _unixSocket;
    private PolicyStore? _policy;
    private PeerIdentityMiddleware? _peerIdentity;
    private GpuWriteMetrics? _writeMetrics;

    private DaemonHost(ServeOptions options, ILoggerFactory loggers, LineLoggerProvider lines)
    {
        _options = options;
        _loggers = loggers;
        _lines = lines;
        _logger = loggers.CreateLogger("Zeusd");
    }

    /// <summary>The GPU backends this binary has, in <c>auto</c>'s probe order. ROCm exists only for Linux.</summary>
    private IGpuBackendProvider[] GpuBackendProviders() => OperatingSystem.IsLinux()
        ? [new NvmlBackendProvider(), new AmdSmiBackendProvider(AmdSmiLibrarySearch.Default, _loggers.CreateLogger("Zeusd.AmdSmi"))]
        : [new NvmlBackendProvider()];

    /// <exception cref="StartupException">The daemon cannot start with these options on this node.</exception>
    public static DaemonHost Build(ServeOptions options, TimeProvider time)
    {
        var host = new DaemonHost(options, DaemonLogging.CreateFactory(options.LogLevel, out var lines), lines);
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
        _reload = new ReloadSignal(_loggers.CreateLogger<ReloadSignal>());
        _openFileLimit = OpenFileLimit.RaiseToHardLimit(_logger);
        var connectionLimit = _connectionLimit = new ConnectionLimit(options.MaxConnections, _loggers.CreateLogger<ConnectionLimit>());
        Log.Loaded(_logger, options.ToString());
        if (options.LegacyCommandLine)
        {
            Log.LegacyCommandLine(_logger, options.SocketPath);
        }
        var overrides = GpuCommandOverrides.LoadForServe(options.GpuCommandOverrides, options.IsEnabled(ApiGroup.GpuControl), _loggers);
        bool gpuEnabled = options.IsEnabled(ApiGroup.GpuControl) || options.IsEnabled(ApiGroup.GpuRead);
        var gpuBackend = !gpuEnabled ? null
            : options.Simulate ? new SimulatedGpuBackend(SimulatedGpuBackend.NodeGpuCount, time)
            : new GpuBackendRegistry(GpuBackendProviders()).Resolve(options.GpuBackend, _logger);

        PrivilegeCheck.Require(options, overrides, _logger);
        var verifier = AuthSetup.CreateVerifier(options.SigningKeyPath, time, _logger);
        if (options.Mode == TransportMode.Tcp && verifier is null)
        {
            Log.TcpWithoutAuth(_logger);
        }
        LoadPolicy(verifier is not null);

        var queueOptions = new DeviceQueueOptions { Depth = options.DeviceQueueDepth, Time = time };
        var gpus = gpuBackend is null
            ? GpuFleet.Empty
            : GpuFleet.Open(gpuBackend, GpuDecorators(overrides), openPollerHandles: options.IsEnabled(ApiGroup.GpuRead), _loggers, queueOptions);
        var cpuBackend = options.IsEnabled(ApiGroup.CpuRead) ? CpuBackendResolver.Resolve(options.Simulate, time, _logger) : null;
        var cpus = cpuBackend is null ? CpuFleet.Empty : CpuFleet.Open(cpuBackend, time, _loggers, queueOptions);
        _devices = new NodeDevices(gpus, cpus);
        if (options.Restore != RestoreMode.Never && gpus.Count > 0)
        {
            _restorer = SettingsRestorer.Open(options, gpus, time, _loggers);
        }
        var tcpEndpoints = options.Mode == TransportMode.Tcp ? TcpBindAddress.Resolve(options.TcpBindAddress) : [];
        var metricsEndpoints = options.MetricsBindAddress is { } metricsAddress ? TcpBindAddress.Resolve(metricsAddress, "metrics bind address") : [];
        _writeMetrics = options.MetricsBindAddress is null ? null : new GpuWriteMetrics();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "zeusd", ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton(_loggers);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownBudget);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinRequestBodyDataRate = null;
            // Room for oversized bearer tokens, so they get the 401 a client can act on rather than a 431.
            kestrel.Limits.MaxRequestHeadersTotalSize = 128 * 1024;
            // Before any Listen call: endpoint defaults apply to the endpoints added after them.
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(connectionLimit.Middleware));
            // What a response may buffer before its writer waits for the client (see SseStream.MaxBufferedBytes).
            kestrel.Limits.MaxResponseBufferSize = SseStream.MaxBufferedBytes;
        });
        // The socket transport's own output buffer (64 KiB by default) comes on top of the response's.
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.MaxWriteBufferSize = SseStream.MaxBufferedBytes);
        // Without a policy, tokens' gpus claims still limit gpu-control; with neither, every write is allowed.
        var authorizer = _policy is not null || verifier is not null
            ? new GpuWriteAuthorizer(_policy is null ? null : Audit<GpuWriteAuthorizer>())
            : null;
        var writes = new GpuWritePipeline(gpus, authorizer, GpuWriteHooks(), _loggers.CreateLogger<GpuWritePipeline>());
        if (_restorer is not null)
        {
            _restorer.Attach(writes);
            // Before the socket exists (zeusd binds it in RegisterTransport): no client sees a GPU a crashed daemon
            // left changed.
            _restorer.RestoreLeftoversAsync().GetAwaiter().GetResult();
        }
        RegisterTransport(builder.WebHost, tcpEndpoints);
        if (metricsEndpoints.Length > 0)
        {
            builder.WebHost.ConfigureKestrel(kestrel => MetricsListener.Register(kestrel, metricsEndpoints));
        }
        var app = _app = builder.Build();
        if (_unixSocket is { } unixSocket && OperatingSystem.IsLinux())
        {
            app.Lifetime.ApplicationStopping.Register(unixSocket.RemoveIfStillOurs);
        }

        _streams = new StreamRoutes(options, _devices, time, _loggers, app.Lifetime.ApplicationStopping);
        var routes = new RouteTable();
        new ServerRoutes(gpus, cpus, options.Enable, authRequired: verifier is not null, time).Register(routes);
        var callers = new CallerSource(connectionsKnowTheirProcess: options.Restore != RestoreMode.Never);
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
        if (options.Mode == TransportMode.Tcp)
        {
            app.Use(new BrowserRequestGuard(TcpHostNames(options), _loggers.CreateLogger<BrowserRequestGuard>()).Middleware);
        }
        var gate = new AccessGate(options.Enable, verifier, callers, _loggers.CreateLogger<AccessGate>(),
            _policy is null ? null : new PolicyGate(_policy, Audit<PolicyGate>()));
        var api = routes.Build(gate, callers);
        if (metricsEndpoints.Length == 0)
        {
            app.Run(api);
            return;
        }
        var requests = new HttpRequestMetrics();
        var measured = requests.Measure(api, routes.RouteOf);
        bool gpuRead = options.IsEnabled(ApiGroup.GpuRead), cpuRead = options.IsEnabled(ApiGroup.CpuRead);
        var metrics = new MetricsEndpoint(gpus, new NodeScrape(gpus, cpus, gpuRead, cpuRead, time), gpuRead, cpuRead,
            requests, options.IsEnabled(ApiGroup.GpuControl) ? _writeMetrics : null, _streams, new ProcessMetrics());
        app.Run(context => MetricsListener.IsMetricsConnection(context) ? metrics.Handle(context) : measured(context));
    }

    /// <summary>
    /// <c>--policy</c>: loads and checks the file (a startup error otherwise), reads peer credentials on every new
    /// connection from then on, and re-reads the file on SIGHUP.
    /// </summary>
    private void LoadPolicy(bool authenticationOn)
    {
        if (_options.PolicyPath is not { } path)
        {
            return;
        }
        try
        {
            _policy = new PolicyStore(path, _loggers.CreateLogger<PolicyStore>());
        }
        catch (PolicyException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
        if (!authenticationOn)
        {
            foreach (var grant in _policy.Current.Grants.Where(g => g.Subjects.Count > 0))
            {
                Log.SubjectsWithoutAuth(_logger, grant.Name);
            }
        }
        var peerIdentity = _peerIdentity = new PeerIdentityMiddleware(_loggers.CreateLogger<PeerIdentityMiddleware>());
        var policy = _policy;
        _reload!.Reloading += () =>
        {
            peerIdentity.ClearNames();
            policy.Reload();
        };
    }

    /// <summary>The policy's audit trail in the category of <typeparamref name="T"/>, straight to the daemon's log sink.</summary>
    private PolicyAudit Audit<T>()
    {
        string category = typeof(T).FullName!;
        return new PolicyAudit(_loggers.CreateLogger(category), _lines.CreateLineLogger(category));
    }

    /// <summary>The decorators every GPU's management handle is wrapped in, innermost first.</summary>
    private static IGpuDecorator[] GpuDecorators(GpuCommandOverrides? overrides) =>
    [
        // Windows rules for persistence mode: NVML's persistence API is Linux-only.
        .. OperatingSystem.IsWindows() ? [new PersistenceAlwaysOnDecorator()] : Array.Empty<IGpuDecorator>(),
        // Outermost: an overridden operation skips everything beneath it, platform rules included.
        .. overrides is { IsEmpty: false } ? [overrides] : Array.Empty<IGpuDecorator>(),
    ];

    /// <summary>The hooks that run around every GPU write, in order. The restore journal comes first: its record must be
    /// on disk before anything else acts on the write.</summary>
    private GpuWriteHook[] GpuWriteHooks() => [.. new GpuWriteHook?[] { _restorer?.Hook, _writeMetrics }.OfType<GpuWriteHook>()];

    /// <summary>
    /// Registers the listener of <c>--mode</c>; Kestrel binds TCP and pipes when the server starts. The Unix socket is
    /// bound here, by zeusd (see <see cref="UnixSocketListener"/>), once every device is ready, and handed to Kestrel
    /// as a descriptor; clients that connect before the server starts wait in the backlog.
    /// </summary>
    private void RegisterTransport(IWebHostBuilder web, IPEndPoint[] tcpEndpoints)
    {
        switch (_options.Mode)
        {
            case TransportMode.Uds:
                if (!OperatingSystem.IsLinux())
                {
                    throw new StartupException("--mode uds is only supported on Linux");
                }
                var access = new UnixSocketAccess(UnixSocketAccess.ParseMode(_options.SocketPermissions), _options.SocketUid, _options.SocketGid);
                _unixSocket = UnixSocketListener.Bind(_options.SocketPath, access, _logger);
                ulong handle = _unixSocket.Handle;
                web.ConfigureKestrel(kestrel => kestrel.ListenHandle(handle, ConfigureUnixConnections));
                break;
            case TransportMode.Tcp:
                web.ConfigureKestrel(kestrel =>
                {
                    foreach (var endpoint in tcpEndpoints)
                    {
                        kestrel.Listen(endpoint, WithPeerIdentity);
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

    /// <summary>Under a policy, each connection's identity is read once, when it is accepted (none over TCP).</summary>
    private void WithPeerIdentity(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => _peerIdentity?.Apply(listen);

    /// <summary>Per-connection readers of the Unix socket: the policy's peer identity, and the process restores follow.</summary>
    private void ConfigureUnixConnections(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
    {
        WithPeerIdentity(listen);
        if (_options.Restore != RestoreMode.Never)
        {
            ConnectionProcess.ReadOnEveryConnection(listen);
        }
    }

    /// <summary>Binds, applies the socket's mode and owner, tells systemd, and serves until the host stops.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        var app = _app!;
        await StartListeningAsync(app, cancellation);
        FitConnectionLimit();
        AfterBind();
        if (_options.MetricsBindAddress is { } metricsAddress)
        {
            Log.ListeningMetrics(_logger, metricsAddress);
        }
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
            if (_options.MetricsBindAddress is { } metrics)
            {
                where += $" or {metrics} (metrics)";
            }
            throw new StartupException($"Failed to listen on {where}: {ex.Message}", ex);
        }
    }

    private void AfterBind()
    {
        switch (_options.Mode)
        {
            case TransportMode.Uds:
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

    /// <summary>Fits the connection cap to the open-file limit, counting what the running server already holds.</summary>
    private void FitConnectionLimit()
    {
        var limit = _connectionLimit!;
        int openNow = OpenFileLimit.OpenDescriptors() ?? 0;
        int fitted = limit.FitTo(_openFileLimit, openNow);
        if (fitted < limit.Requested)
        {
            Log.ConnectionsLowered(_logger, limit.Requested, fitted, _openFileLimit ?? 0, openNow);
        }
    }

    /// <summary>Names TCP clients may put in Host: <c>--allowed-host</c>, the machine's name, a name in <c>--tcp-bind-address</c>.</summary>
    private static List<string> TcpHostNames(ServeOptions options)
    {
        var names = new List<string>(options.AllowedHosts) { Dns.GetHostName() };
        int colon = options.TcpBindAddress.LastIndexOf(':');
        string bindHost = colon > 0 ? options.TcpBindAddress[..colon].Trim('[', ']') : options.TcpBindAddress;
        if (!IPAddress.TryParse(bindHost, out _))
        {
            names.Add(bindHost);
        }
        return names;
    }

    /// <summary>
    /// Teardown, in this order whatever happened before: the web host (already stopped by then: no request runs) →
    /// the restores of <c>--restore shutdown|client</c> (queued on the GPUs; the devices' drain runs them) → the stream
    /// pollers (no poll outlives the device handles) → the devices (queues drained within their budget) → the loggers
    /// (flushed last, so every line above is written).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _reload?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _restorer?.RestoreAllAtShutdown();
        if (OperatingSystem.IsLinux())
        {
            _unixSocket?.Dispose(); // after the server: Kestrel's listener does not own the descriptor
        }
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

        [LoggerMessage(7, LogLevel.Warning, "--max-connections {Requested} lowered to {Limit} to fit the open-file limit of {Files} ({Open} already open); raise LimitNOFILE= or ulimit -n for more")]
        public static partial void ConnectionsLowered(ILogger logger, int requested, int limit, ulong files, int open);

        [LoggerMessage(6, LogLevel.Information, "Listening on named pipe {Name} (SDDL: {Sddl})")]
        public static partial void ListeningPipe(ILogger logger, string name, string sddl);

        [LoggerMessage(7, LogLevel.Warning, "Running zeusd without a subcommand is deprecated; use 'zeusd serve --socket-path {SocketPath}' (the serve default socket is /run/zeusd/zeusd.sock)")]
        public static partial void LegacyCommandLine(ILogger logger, string socketPath);

        [LoggerMessage(8, LogLevel.Warning, "Policy grant '{Grant}' names token subjects, but authentication is off (--signing-key-path): they match no one")]
        public static partial void SubjectsWithoutAuth(ILogger logger, string grant);

        [LoggerMessage(9, LogLevel.Information, "Serving Prometheus metrics on http://{Address}/metrics (no authentication)")]
        public static partial void ListeningMetrics(ILogger logger, string address);
    }
}
