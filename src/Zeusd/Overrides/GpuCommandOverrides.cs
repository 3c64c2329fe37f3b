using Microsoft.Extensions.Logging;
using Zeusd.Compat;
using Zeusd.Devices.Gpu;
using Zeusd.Common;

namespace Zeusd.Overrides;

/// <summary>
/// The loaded <c>--gpu-command-overrides</c> file: which GPU writes run as admin-approved commands instead of driver
/// calls, and how.
/// </summary>
public sealed class GpuCommandOverrides
{
    private readonly IReadOnlyDictionary<GpuControlOperation, OverrideSpec> _specs;
    private readonly ILoggerFactory _loggers;

    private GpuCommandOverrides(IReadOnlyDictionary<GpuControlOperation, OverrideSpec> specs, ILoggerFactory loggers)
    {
        _specs = specs;
        _loggers = loggers;
    }

    public bool IsEmpty => _specs.Count == 0;

    /// <summary>The overridden operations' table names, in declaration order.</summary>
    public IReadOnlyList<string> OverriddenOperationNames =>
        [.. GpuControlOperations.All.Where(_specs.ContainsKey).Select(o => o.TableName())];

    public OverrideSpec? Get(GpuControlOperation operation) => _specs.GetValueOrDefault(operation);

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
            return new GpuCommandOverrides(OverrideFileParser.Parse(text, path), loggers);
        }
        catch (OverrideFileException ex)
        {
            throw new StartupException(AnyhowErrorText.Format($"Failed to parse GPU command override file '{path}'", [.. ex.Causes]), ex);
        }
    }

    /// <summary>GPU <paramref name="index"/>'s management handle with the overridden operations replaced.</summary>
    public IGpu Decorate(int index, IGpu inner) =>
        new CommandOverrideGpu(index, inner, this, new OverrideCommandRunner(_loggers.CreateLogger("Zeusd.Overrides")));
}
