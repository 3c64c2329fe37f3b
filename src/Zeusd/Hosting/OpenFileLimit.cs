using Microsoft.Extensions.Logging;
using Zeusd.Compat;
using Zeusd.Interop.Libc;

namespace Zeusd.Hosting;

/// <summary>
/// The open-file limit (RLIMIT_NOFILE), which bounds how many clients can be connected at once. systemd starts services
/// with a soft limit of 1024 and a much higher hard limit; the CoreCLR host raises the soft limit itself, a NativeAOT
/// binary does not, so zeusd raises it to the hard limit at startup.
/// </summary>
public static partial class OpenFileLimit
{
    /// <summary>Raises the soft limit to the hard limit (Unix); returns the soft limit now in effect, or null if unknown.</summary>
    public static ulong? RaiseToHardLimit(ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        if (Libc.GetResourceLimit(Libc.ResourceOpenFiles, out var limit) != 0)
        {
            Log.CannotRead(logger, IoErrorText.LastOsError());
            return null;
        }
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (Libc.SetResourceLimit(Libc.ResourceOpenFiles, raised) != 0)
            {
                Log.CannotRaise(logger, limit.Current, limit.Maximum, IoErrorText.LastOsError());
                return limit.Current;
            }
            Log.Raised(logger, limit.Current, limit.Maximum);
            return limit.Maximum;
        }
        return limit.Current;
    }

    /// <summary>How many descriptors the process has open (Linux, from /proc/self/fd), or null if unknown.</summary>
    public static int? OpenDescriptors()
    {
        try
        {
            return OperatingSystem.IsLinux() ? Directory.GetFileSystemEntries("/proc/self/fd").Length : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Raised the open-file limit from {Soft} to the hard limit {Hard}")]
        public static partial void Raised(ILogger logger, ulong soft, ulong hard);

        [LoggerMessage(2, LogLevel.Warning, "Could not raise the open-file limit from {Soft} to {Hard}: {Reason}")]
        public static partial void CannotRaise(ILogger logger, ulong soft, ulong hard, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Could not read the open-file limit: {Reason}")]
        public static partial void CannotRead(ILogger logger, string reason);
    }
}
