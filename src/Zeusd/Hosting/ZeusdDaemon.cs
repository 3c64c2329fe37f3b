using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Zeusd.Api;
using Zeusd.Auth;
using Zeusd.Cli;
using Zeusd.Devices.Cpu;
using Zeusd.Devices.Gpu;
using Zeusd.Interop.Libc;
using Zeusd.Overrides;
using Zeusd.Streaming;
using Zeusd.Transports;
using Zeusd.Configuration;
using Zeusd.Common;

namespace Zeusd.Hosting;

/// <summary>
/// <c>zeusd serve</c>: initializes devices in the original daemon's order (so the same error wins), binds the transport
/// only once every device is ready, serves until SIGTERM/SIGINT, then finishes in-flight requests and exits 0.
/// </summary>
public static partial class ZeusdDaemon
{
    public static async Task<int> RunAsync(ServeOptions options, CancellationToken cancellation)
    {
        if (options.NumWorkers is { } workers)
        {
            ThreadPool.GetMinThreads(out _, out int io);
            ThreadPool.SetMinThreads(workers, io);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "zeusd" });
        ConfigureLogging(builder.Logging, options.LogLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinRequestBodyDataRate = null;
            // Room for oversized bearer tokens, so they get the 401 a client can act on rather than a 431.
            kestrel.Limits.MaxRequestHeadersTotalSize = 128 * 1024;
        });
        var time = TimeProvider.System;

        await using var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("Zeusd");
        Log.Loaded(logger, options.ToString());

        var (devices, verifier) = InitializeDevices(options, time, loggers, logger);
        await using var deviceLifetime = devices;
        // Declared after the devices so that the pollers stop before the devices close.
        await using var streams = new StreamRoutes(options, devices, time, loggers, app.Lifetime.ApplicationStopping);
        var routes = BuildRoutes(options, devices, streams, authRequired: verifier is not null, time, loggers);
        Log.Discovery(logger, devices.Gpus.Count, devices.Cpus.Count, string.Join(',', options.Enable.Select(g => g.WireName())));

        if (options.LogLevel <= LogLevel.Debug)
        {
            app.Use(new RequestLogging(loggers.CreateLogger<RequestLogging>()).Middleware);
        }
        app.Use(new AccessGate(options.Enable, verifier, loggers.CreateLogger<AccessGate>()).Middleware);
        app.Run(routes.Build());

        BindTransport(options, builder, app, logger);
        await StartListeningAsync(app, options, cancellation);
        AfterBind(options, logger);
        SystemdNotifier.FromEnvironment(loggers.CreateLogger<SystemdNotifier>()).NotifyReadyUntilStopping(app.Lifetime);
        await app.WaitForShutdownAsync(cancellation);
        return ExitCodes.Success;
    }

    private static (NodeDevices, ITokenVerifier?) InitializeDevices(ServeOptions options, TimeProvider time, ILoggerFactory loggers, ILogger logger)
    {
        var overrides = GpuCommandOverrides.LoadForServe(options.GpuCommandOverrides, options.IsEnabled(ApiGroup.GpuControl), loggers);
        bool gpuEnabled = options.IsEnabled(ApiGroup.GpuControl) || options.IsEnabled(ApiGroup.GpuRead);
        var gpuBackend = gpuEnabled ? GpuBackendResolver.Resolve(options, time, logger) : null;

        CheckPrivileges(options, overrides, logger);
        var verifier = AuthSetup.CreateVerifier(options.SigningKeyPath, time, logger);
        if (options.Mode == TransportMode.Tcp && verifier is null)
        {
            Log.TcpWithoutAuth(logger);
        }

        var gpus = gpuBackend is null
            ? GpuFleet.Empty
            : GpuFleet.Open(gpuBackend, openPollerHandles: options.IsEnabled(ApiGroup.GpuRead), OperatingSystem.IsWindows(), loggers,
                overrides is null ? null : overrides.Decorate);
        var cpuBackend = options.IsEnabled(ApiGroup.CpuRead) ? CpuBackendResolver.Resolve(options, time, logger) : null;
        var cpus = cpuBackend is null ? CpuFleet.Empty : CpuFleet.Open(cpuBackend, time, loggers);
        return (new NodeDevices(gpus, cpus), verifier);
    }

    /// <summary>
    /// Root-only groups need root on Unix; RAPL exists only on Linux. The simulated node touches no hardware.
    /// gpu-control needs no root when an overrides file replaces at least one write with admin-approved commands.
    /// </summary>
    private static void CheckPrivileges(ServeOptions options, GpuCommandOverrides? overrides, ILogger logger)
    {
        if (options.IsEnabled(ApiGroup.CpuRead) && !OperatingSystem.IsLinux())
        {
            throw new StartupException(
                "API group 'cpu-read' is only supported on Linux. Remove it from --enable to start zeusd on this platform.");
        }
        bool privileged = options.Simulate || OperatingSystem.IsWindows() || Privileges.IsRoot;
        overrides?.LogStartup(privileged, logger);
        if (privileged)
        {
            return;
        }
        foreach (var group in options.Enable)
        {
            if (group.RequiresRoot() && !(group == ApiGroup.GpuControl && overrides is { IsEmpty: false }))
            {
                throw new StartupException($"API group '{group.WireName()}' requires root but Zeusd is not running as root");
            }
        }
    }

    private static RouteTable BuildRoutes(ServeOptions options, NodeDevices devices, StreamRoutes streams, bool authRequired,
        TimeProvider time, ILoggerFactory loggers)
    {
        var routes = new RouteTable();
        new ServerRoutes(devices.Gpus, devices.Cpus, options.Enable, authRequired, time).Register(routes);
        if (authRequired)
        {
            WhoamiRoute.Register(routes);
        }
        new GpuRoutes(devices.Gpus, time, loggers.CreateLogger<GpuRoutes>()).Register(routes, options.Enable);
        if (options.IsEnabled(ApiGroup.CpuRead))
        {
            new CpuRoutes(devices.Cpus, time, options.CpuPollPeriod).Register(routes);
        }
        streams.Register(routes);
        return routes;
    }

    private static void BindTransport(ServeOptions options, WebApplicationBuilder builder, WebApplication app, ILogger logger)
    {
        var kestrel = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KestrelServerOptions>>().Value;
        switch (options.Mode)
        {
            case TransportMode.Uds:
                UnixSocketPreparer.Prepare(options.SocketPath, logger);
                kestrel.ListenUnixSocket(options.SocketPath);
                break;
            case TransportMode.Tcp:
                foreach (var endpoint in TcpBindAddress.Resolve(options.TcpBindAddress))
                {
                    kestrel.Listen(endpoint);
                }
                break;
            case TransportMode.NamedPipe:
                if (!OperatingSystem.IsWindows())
                {
                    throw new StartupException("--mode named-pipe is only supported on Windows");
                }
                NamedPipeTransport.Configure(builder.WebHost, kestrel, options.PipeName, options.PipeSddl);
                break;
        }
    }

    /// <summary>Starts Kestrel; a listen address it cannot bind is a startup error, not a crash.</summary>
    private static async Task StartListeningAsync(WebApplication app, ServeOptions options, CancellationToken cancellation)
    {
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            string where = options.Mode switch
            {
                TransportMode.Uds => options.SocketPath,
                TransportMode.Tcp => options.TcpBindAddress,
                _ => options.PipeName,
            };
            throw new StartupException($"Failed to listen on {where}: {ex.Message}", ex);
        }
    }

    private static void AfterBind(ServeOptions options, ILogger logger)
    {
        switch (options.Mode)
        {
            case TransportMode.Uds when !OperatingSystem.IsWindows():
                var access = new UnixSocketAccess(UnixSocketAccess.ParseMode(options.SocketPermissions), options.SocketUid, options.SocketGid);
                access.Apply(options.SocketPath);
                Log.ListeningUnix(logger, options.SocketPath, options.SocketPermissions);
                break;
            case TransportMode.Tcp:
                Log.ListeningTcp(logger, options.TcpBindAddress);
                break;
            case TransportMode.NamedPipe:
                Log.ListeningPipe(logger, options.PipeName, options.PipeSddl);
                break;
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        // Framework chatter only when debugging.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        ConsoleLogFormat.AddConsole(logging, ConsoleLogFormat.IsUnderSystemd(Environment.GetEnvironmentVariable));
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
    }
}
