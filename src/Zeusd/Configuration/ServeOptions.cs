using Microsoft.Extensions.Logging;

namespace Zeusd.Configuration;

/// <summary>Everything <c>zeusd serve</c> was told on its command line.</summary>
public sealed record ServeOptions
{
    public const string DefaultSocketPath = "/run/zeusd/zeusd.sock";
    public const string DefaultSocketPermissions = "666";
    public const string DefaultPipeName = @"\\.\pipe\zeusd";
    public const string DefaultPipeSddl = "D:(A;;GRGW;;;AU)";
    public const string DefaultTcpBindAddress = "127.0.0.1:4938";
    public const uint DefaultGpuPowerPollHz = 20;
    public const int DefaultMaxConnections = 4096;
    public const uint DefaultCpuPowerPollHz = 10;
    /// <summary>
    /// Room for every connection of a loaded node to have a command waiting for a GPU, while a backlog stays seconds,
    /// not hours, at real NVML write speeds.
    /// </summary>
    public const int DefaultDeviceQueueDepth = 256;
    /// <summary>The SSE fan-out benchmark's 1,000 subscribers fit; 10,000 never-reading ones (about 1 GB) do not.</summary>
    public const int DefaultMaxStreams = 1024;
    public const string DefaultStateDirectory = "/var/lib/zeusd";

    public TransportMode Mode { get; init; } = OperatingSystem.IsWindows() ? TransportMode.NamedPipe : TransportMode.Uds;
    public string SocketPath { get; init; } = DefaultSocketPath;
    /// <summary>Octal text; parsed after device initialization, as in the original daemon.</summary>
    public string SocketPermissions { get; init; } = DefaultSocketPermissions;
    public uint? SocketUid { get; init; }
    public uint? SocketGid { get; init; }
    public string PipeName { get; init; } = DefaultPipeName;
    public string PipeSddl { get; init; } = DefaultPipeSddl;
    public string TcpBindAddress { get; init; } = DefaultTcpBindAddress;
    /// <summary>Host names TCP requests may carry besides IP literals, loopback names and the machine's name.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    public int? NumWorkers { get; init; }
    /// <summary>Concurrent client connections (streams included); lowered at startup to fit the open-file limit.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;
    /// <summary><c>--metrics-bind-address</c>: host:port of the Prometheus <c>/metrics</c> listener; null when off.</summary>
    public string? MetricsBindAddress { get; init; }
    public uint GpuPowerPollHz { get; init; } = DefaultGpuPowerPollHz;
    public GpuBackendKind GpuBackend { get; init; } = GpuBackendKind.Auto;
    public uint CpuPowerPollHz { get; init; } = DefaultCpuPowerPollHz;
    /// <summary>As given: order and duplicates are kept, since <c>/discover</c> shows them.</summary>
    public IReadOnlyList<ApiGroup> Enable { get; init; } = ApiGroups.PlatformDefault();
    public string? GpuCommandOverrides { get; init; }
    public string? SigningKeyPath { get; init; }
    /// <summary><c>--policy</c>: the access policy file (TOML); null: no policy, nothing changes.</summary>
    public string? PolicyPath { get; init; }
    /// <summary>Serve simulated GPUs and CPUs instead of touching hardware.</summary>
    public bool Simulate { get; init; }
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    /// <summary>Commands that may wait for a busy device before new ones are refused with 503.</summary>
    public int DeviceQueueDepth { get; init; } = DefaultDeviceQueueDepth;
    /// <summary>Power streams (GPU and CPU together) that may be open at once; more are refused with 503.</summary>
    public int MaxStreams { get; init; } = DefaultMaxStreams;
    public RestoreMode Restore { get; init; } = RestoreMode.Never;
    /// <summary>Where the restore journal lives; used only when <see cref="Restore"/> is not never.</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;
    /// <summary>Start without root even when an enabled group needs it (<c>--allow-unprivileged</c>).</summary>
    public bool AllowUnprivileged { get; init; }
    /// <summary>Started with the first command line (no <c>serve</c> subcommand), which is deprecated.</summary>
    public bool LegacyCommandLine { get; init; }

    /// <summary>The SSE GPU polling period; 0 Hz is treated as 1 Hz.</summary>
    public TimeSpan GpuPollPeriod => TimeSpan.FromMicroseconds(1_000_000 / Math.Max(GpuPowerPollHz, 1));

    /// <summary>The CPU polling period and the <c>/cpu/get_power</c> sampling window; 0 Hz is treated as 1 Hz.</summary>
    public TimeSpan CpuPollPeriod => TimeSpan.FromMicroseconds(1_000_000 / Math.Max(CpuPowerPollHz, 1));

    public bool IsEnabled(ApiGroup group) => Enable.Contains(group);

    /// <summary>The effective settings in one line, for the startup log.</summary>
    public override string ToString()
    {
        string transport = Mode switch
        {
            TransportMode.Uds => $"uds {SocketPath} mode {SocketPermissions} uid {SocketUid?.ToString() ?? "-"} gid {SocketGid?.ToString() ?? "-"}",
            TransportMode.Tcp => $"tcp {TcpBindAddress}" + (AllowedHosts.Count > 0 ? $" allowed-hosts {string.Join(',', AllowedHosts)}" : ""),
            _ => $"named-pipe {PipeName} sddl {PipeSddl}",
        };
        return $"transport={transport}; enable={string.Join(',', Enable.Select(g => g.WireName()))}; " +
            $"gpu-backend={(Simulate ? "simulated" : GpuBackend.WireName())}; " +
            $"gpu-poll={Math.Max(GpuPowerPollHz, 1)} Hz; cpu-poll={Math.Max(CpuPowerPollHz, 1)} Hz; " +
            $"auth={(SigningKeyPath is null ? "off" : "key " + SigningKeyPath)}; policy={PolicyPath ?? "off"}; workers={NumWorkers?.ToString() ?? "auto"}; " +
            $"max-connections={MaxConnections}; device-queue-depth={DeviceQueueDepth}; max-streams={MaxStreams}; log={LogLevel}" +
            (MetricsBindAddress is null ? "" : "; metrics=" + MetricsBindAddress) +
            (AllowUnprivileged ? "; allow-unprivileged" : "") +
            $"; restore={Restore.WireName()}{(Restore == RestoreMode.Never ? "" : " state-dir " + StateDirectory)}";
    }
}
