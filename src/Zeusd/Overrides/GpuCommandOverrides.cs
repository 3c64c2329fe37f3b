using Microsoft.Extensions.Logging;
using Zeusd.Common;
using Zeusd.Compat;
using Zeusd.Devices.Gpu;
using Zeusd.GpuWrites;

namespace Zeusd.Overrides;

/// <summary>
/// The loaded <c>--gpu-command-overrides</c> file: which GPU writes run as admin-approved commands instead of driver
/// calls, and how.
/// </summary>
public sealed partial class GpuCommandOverrides : IGpuDecorator
{
    private readonly IReadOnlyDictionary<GpuWriteOperation, OverrideSpec> _specs;
    private readonly ILoggerFactory _loggers;

    private GpuCommandOverrides(IReadOnlyDictionary<GpuWriteOperation, OverrideSpec> specs, string path, ILoggerFactory loggers)
    {
        _specs = specs;
        Path = path;
        _loggers = loggers;
    }

    /// <summary>The file the overrides came from.</summary>
    public string Path { get; }

    public bool IsEmpty => _specs.Count == 0;

    /// <summary>The overridden operations' table names, in declaration order.</summary>
    public IReadOnlyList<string> OverriddenOperationNames =>
        [.. GpuWriteOperations.All.Where(_specs.ContainsKey).Select(o => o.WireName())];

    public OverrideSpec? Get(GpuWriteOperation operation) => _specs.GetValueOrDefault(operation);

    /// <summary>
    /// Startup step 2: loads <c>--gpu-command-overrides</c> (an invalid file aborts startup even when gpu-control is
    /// off), then drops the overrides with a warning unless gpu-control is enabled.
    /// </summary>
    /// <exception cref="StartupException">The file is unreadable, untrusted or invalid.</exception>
    public static GpuCommandOverrides? LoadForServe(string? path, bool gpuControlEnabled, ILoggerFactory loggers)
    {
        if (path is null)
        {
            return null;
        }
        var overrides = Load(path, loggers);
        if (!gpuControlEnabled)
        {
            Log.IgnoredWithoutGpuControl(loggers.CreateLogger("Zeusd.Overrides"));
            return null;
        }
        return overrides;
    }

    /// <summary>
    /// The startup log: which operations run as commands and, when zeusd lacks root, that the others go to the driver
    /// and may fail.
    /// </summary>
    public void LogStartup(bool privileged, ILogger logger)
    {
        if (IsEmpty)
        {
            return;
        }
        Log.Active(logger, Path, string.Join(", ", OverriddenOperationNames));
        if (!privileged)
        {
            var native = GpuWriteOperations.All.Where(o => !_specs.ContainsKey(o)).Select(o => o.WireName()).ToArray();
            if (native.Length > 0)
            {
                Log.OthersMayFail(logger, string.Join(", ", native));
            }
        }
    }

    /// <summary>Checks the file's trust, then parses and validates it.</summary>
    /// <exception cref="StartupException">The file is unreadable, untrusted or invalid (the original daemon's texts).</exception>
    public static GpuCommandOverrides Load(string path, ILoggerFactory loggers)
    {
        string text = OverrideFile.ReadTrusted(path, loggers.CreateLogger("Zeusd.Overrides"));
        return Parse(text, path, loggers);
    }

    /// <exception cref="StartupException">The text is not a valid overrides file.</exception>
    public static GpuCommandOverrides Parse(string text, string path, ILoggerFactory loggers)
    {
        try
        {
            return new GpuCommandOverrides(OverrideFileParser.Parse(text, path), path, loggers);
        }
        catch (OverrideFileException ex)
        {
            throw new StartupException(AnyhowErrorText.Format($"Failed to parse GPU command override file '{path}'", [.. ex.Causes]), ex);
        }
    }

    /// <summary>GPU <paramref name="index"/>'s management handle with the overridden operations replaced.</summary>
    public IGpu Decorate(int index, IGpu inner) =>
        new CommandOverrideGpu(index, inner, this, new OverrideCommandRunner(_loggers.CreateLogger("Zeusd.Overrides")));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "GPU command overrides are ignored because the gpu-control API group is not enabled")]
        public static partial void IgnoredWithoutGpuControl(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "GPU command overrides loaded from '{Path}'; these operations run the configured commands instead of driver calls: {Operations}")]
        public static partial void Active(ILogger logger, string path, string operations);

        [LoggerMessage(3, LogLevel.Warning,
            "Zeusd is not running as root: GPU control operations without an override ({Operations}) call the driver directly and may fail with permission errors")]
        public static partial void OthersMayFail(ILogger logger, string operations);
    }
}
