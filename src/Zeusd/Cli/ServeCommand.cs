using System.CommandLine;
using System.CommandLine.Parsing;
using Zeusd.Hosting;
using Zeusd.Configuration;

namespace Zeusd.Cli;

/// <summary><c>zeusd serve</c>: its flags (contract §1.1 plus <c>--simulate</c> and <c>--log-level</c>) and its action.</summary>
public static class ServeCommand
{
    /// <summary>The default socket of the first command line (no subcommand), where Zeus 0.10–0.13 look.</summary>
    public const string LegacySocketPath = "/var/run/zeusd.sock";

    public static Command Create()
    {
        var command = new Command("serve", "Run the daemon");
        var read = AddOptions(command, ServeOptions.DefaultSocketPath, legacyCommandLine: false);
        command.SetAction((result, cancellation) => RunAsync(read(result), cancellation));
        return command;
    }

    /// <summary>
    /// Adds every <c>serve</c> flag to <paramref name="command"/> (the <c>serve</c> subcommand, or the root for the first
    /// command line, which had no subcommands) and returns what reads them into the daemon's options, defaults applied.
    /// </summary>
    public static Func<ParseResult, ServeOptions> AddOptions(Command command, string defaultSocketPath, bool legacyCommandLine)
    {
        // The choice options have no DefaultValueFactory: help would print the default by its C# name ("[default: Uds]").
        // Their descriptions name the default in the words the flag takes, and an absent flag is resolved below.
        (string, TransportMode)[] modes = OperatingSystem.IsWindows()
            ? [("named-pipe", TransportMode.NamedPipe), ("tcp", TransportMode.Tcp)]
            : [("uds", TransportMode.Uds), ("tcp", TransportMode.Tcp)];
        var mode = new Option<TransportMode?>("--mode")
        {
            Description = OperatingSystem.IsWindows()
                ? "Transport: named-pipe (default) or tcp"
                : "Transport: uds (Unix domain socket, default) or tcp",
            HelpName = OptionParsers.HelpName(modes),
            CustomParser = OptionParsers.OptionalChoice("--mode", modes),
        };

        var socketPath = new Option<string>("--socket-path")
        {
            Description = "[uds] Path of the socket to listen on",
            DefaultValueFactory = _ => defaultSocketPath,
        };
        var socketPermissions = new Option<string>("--socket-permissions")
        {
            Description = "[uds] Octal permissions of the socket file (clients need write access)",
            DefaultValueFactory = _ => ServeOptions.DefaultSocketPermissions,
        };
        var socketUid = new Option<uint?>("--socket-uid")
        {
            Description = "[uds] UID to chown the socket file to",
            CustomParser = OptionParsers.OwnerId("--socket-uid", "user"),
        };
        var socketGid = new Option<uint?>("--socket-gid")
        {
            Description = "[uds] GID to chown the socket file to",
            CustomParser = OptionParsers.OwnerId("--socket-gid", "group"),
        };
        var pipeName = new Option<string>("--pipe-name")
        {
            Description = "[named-pipe] Pipe to listen on",
            DefaultValueFactory = _ => ServeOptions.DefaultPipeName,
        };
        var pipeSddl = new Option<string>("--pipe-sddl")
        {
            Description = "[named-pipe] SDDL security descriptor of the pipe (default: read+write for Authenticated Users)",
            DefaultValueFactory = _ => ServeOptions.DefaultPipeSddl,
        };
        var tcpBindAddress = new Option<string>("--tcp-bind-address")
        {
            Description = "[tcp] host:port to listen on",
            DefaultValueFactory = _ => ServeOptions.DefaultTcpBindAddress,
        };
        var allowedHosts = new Option<IReadOnlyList<string>>("--allowed-host")
        {
            Description = "[tcp] A host name clients may use in Host (repeatable); IP addresses, localhost and this machine's name always work",
            DefaultValueFactory = _ => [],
            CustomParser = ParseHostNames,
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.OneOrMore,
        };
        var metricsBindAddress = new Option<string?>("--metrics-bind-address")
        {
            Description = "host:port of a second TCP listener serving only GET /metrics (Prometheus), without authentication (default: off)",
        };
        var numWorkers = new Option<int?>("--num-workers")
        {
            Description = "Minimum number of request worker threads (default: the thread pool decides)",
            CustomParser = OptionParsers.Positive("--num-workers"),
        };
        var maxConnections = new Option<int?>("--max-connections")
        {
            Description = $"Concurrent client connections, streams included; more are answered 503 (default {ServeOptions.DefaultMaxConnections}, lowered to fit the open-file limit)",
            CustomParser = OptionParsers.Positive("--max-connections"),
        };
        var gpuPollHz = new Option<uint>("--gpu-power-poll-hz")
        {
            Description = "GPU power streaming poll frequency (0 means 1)",
            DefaultValueFactory = _ => ServeOptions.DefaultGpuPowerPollHz,
        };
        var gpuBackend = new Option<GpuBackendKind?>("--gpu-backend")
        {
            Description = "GPU backend: auto (default: probe every backend, use the one with GPUs), nvml, amdsmi",
            HelpName = OptionParsers.HelpName(GpuBackendKinds.Names),
            CustomParser = OptionParsers.OptionalChoice("--gpu-backend", GpuBackendKinds.Names),
        };
        var cpuPollHz = new Option<uint>("--cpu-power-poll-hz")
        {
            Description = "CPU power streaming poll frequency and /cpu/get_power sampling window (0 means 1)",
            DefaultValueFactory = _ => ServeOptions.DefaultCpuPowerPollHz,
        };
        var enable = new Option<IReadOnlyList<ApiGroup>>("--enable")
        {
            Description = "API groups to serve, comma-separated or repeated: gpu-control, gpu-read, cpu-read "
                + (OperatingSystem.IsLinux() ? "(default: all)" : "(default: gpu-control,gpu-read)"),
            HelpName = "group,...",
            CustomParser = ParseGroups,
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.OneOrMore,
        };
        var overrides = new Option<string?>("--gpu-command-overrides")
        {
            Description = "TOML file of commands that replace privileged GPU writes",
        };
        var signingKey = new Option<string?>("--signing-key-path")
        {
            Description = "HS256 signing key file; enables JWT authentication",
        };
        var policy = new Option<string?>("--policy")
        {
            Description = "Access policy file (TOML): per-user, per-GPU, value-bounded grants; SIGHUP re-reads it",
        };
        var simulate = new Option<bool>("--simulate")
        {
            Description = "Serve 4 simulated GPUs and 2 simulated CPU packages; touches no hardware and needs no root",
        };
        var deviceQueueDepth = new Option<int?>("--device-queue-depth")
        {
            Description = $"Commands that may wait for a busy device; more are refused with 503 (default: {ServeOptions.DefaultDeviceQueueDepth})",
            CustomParser = OptionParsers.Positive("--device-queue-depth"),
        };
        var maxStreams = new Option<int?>("--max-streams")
        {
            Description = $"Power streams that may be open at once; more are refused with 503 (default: {ServeOptions.DefaultMaxStreams})",
            CustomParser = OptionParsers.Positive("--max-streams"),
        };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "trace, debug, info, warn, error or off (default: $ZEUSD_LOG, else info)",
            CustomParser = OptionParsers.Choice("--log-level", [.. LogLevels.Names.Select(n => (n, n))]),
        };

        var restore = new Option<RestoreMode?>("--restore")
        {
            Description = "Put back GPU settings changed through zeusd: never (default), shutdown (at exit and after a crash), "
                + "client (also when the Unix-socket process that made the change exits)",
            HelpName = OptionParsers.HelpName(RestoreModes.Names),
            CustomParser = OptionParsers.OptionalChoice("--restore", RestoreModes.Names),
        };
        var stateDir = new Option<string>("--state-dir")
        {
            Description = "Directory of the restore journal (created 0700; used unless --restore never)",
            DefaultValueFactory = _ => ServeOptions.DefaultStateDirectory,
        };

        var allowUnprivileged = new Option<bool>("--allow-unprivileged")
        {
            Description = "Start without root even if an enabled group needs it; privileged operations then fail per request (403)",
        };

        var added = new List<Option> { mode };
        if (!OperatingSystem.IsWindows())
        {
            added.AddRange([socketPath, socketPermissions, socketUid, socketGid]);
        }
        else
        {
            added.AddRange([pipeName, pipeSddl]);
        }
        added.AddRange([tcpBindAddress, allowedHosts, metricsBindAddress, numWorkers, maxConnections, gpuPollHz, gpuBackend, cpuPollHz, enable, overrides, signingKey, policy, simulate, deviceQueueDepth, maxStreams, logLevel, allowUnprivileged, restore, stateDir]);
        foreach (var option in added)
        {
            // On the root they serve the deprecated form only; its help shows the subcommands, as before.
            option.Hidden = legacyCommandLine;
            command.Options.Add(option);
        }

        return result => new ServeOptions
            {
                Mode = result.GetValue(mode) ?? modes[0].Item2,
                // Kestrel binds absolute socket paths only; a relative one is relative to the working directory.
                SocketPath = result.GetValue(socketPath) is { } path ? Path.GetFullPath(path) : defaultSocketPath,
                SocketPermissions = result.GetValue(socketPermissions)!,
                SocketUid = result.GetValue(socketUid),
                SocketGid = result.GetValue(socketGid),
                PipeName = result.GetValue(pipeName)!,
                PipeSddl = result.GetValue(pipeSddl)!,
                TcpBindAddress = result.GetValue(tcpBindAddress)!,
                AllowedHosts = result.GetValue(allowedHosts)!,
                MetricsBindAddress = result.GetValue(metricsBindAddress),
                NumWorkers = result.GetValue(numWorkers),
                MaxConnections = result.GetValue(maxConnections) ?? ServeOptions.DefaultMaxConnections,
                GpuPowerPollHz = result.GetValue(gpuPollHz),
                GpuBackend = result.GetValue(gpuBackend) ?? GpuBackendKind.Auto,
                CpuPowerPollHz = result.GetValue(cpuPollHz),
                Enable = result.GetValue(enable) ?? ApiGroups.PlatformDefault(),
                GpuCommandOverrides = result.GetValue(overrides),
                SigningKeyPath = result.GetValue(signingKey),
                // Absolute, so a SIGHUP reload reads the same file whatever the working directory is by then.
                PolicyPath = result.GetValue(policy) is { } policyPath ? Path.GetFullPath(policyPath) : null,
                Simulate = result.GetValue(simulate),
                DeviceQueueDepth = result.GetValue(deviceQueueDepth) ?? ServeOptions.DefaultDeviceQueueDepth,
                MaxStreams = result.GetValue(maxStreams) ?? ServeOptions.DefaultMaxStreams,
                LogLevel = LogLevels.TryParse(result.GetValue(logLevel)) ?? LogLevels.FromEnvironment(),
                Restore = result.GetValue(restore) ?? RestoreMode.Never,
                StateDirectory = Path.GetFullPath(result.GetValue(stateDir)!),
                AllowUnprivileged = result.GetValue(allowUnprivileged),
                LegacyCommandLine = legacyCommandLine,
            };
    }

    public static async Task<int> RunAsync(ServeOptions options, CancellationToken cancellation)
    {
        await ZeusdDaemon.RunAsync(options, cancellation);
        return ExitCodes.Success;
    }

    /// <summary><c>--allowed-host a --allowed-host b</c>: DNS names (letters, digits, '-', '.'), no port.</summary>
    private static IReadOnlyList<string> ParseHostNames(ArgumentResult result)
    {
        var names = new List<string>();
        foreach (var token in result.Tokens)
        {
            string name = token.Value;
            if (name.Length is 0 or > 253 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                result.AddError($"Invalid value '{name}' for '--allowed-host': expected a host name such as node1.example.org, without port.");
                return [];
            }
            names.Add(name);
        }
        return names;
    }

    /// <summary><c>--enable a,b --enable c</c>: every value, comma-split, in order, duplicates kept.</summary>
    private static IReadOnlyList<ApiGroup> ParseGroups(ArgumentResult result)
    {
        var groups = new List<ApiGroup>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(','))
            {
                if (ApiGroups.TryParse(part, out var group))
                {
                    groups.Add(group.Value);
                }
                else
                {
                    result.AddError($"Invalid value '{part}' for '--enable'. Possible values: gpu-control, gpu-read, cpu-read.");
                    return [];
                }
            }
        }
        return groups;
    }
}
