using System.ComponentModel;
using System.Runtime.InteropServices;
using Zeusd.Interop.Libc;
using Zeusd.Common;

namespace Zeusd.Transports;

/// <summary>Who may connect to the socket: its mode (octal, as <c>chmod</c> takes it) and owner, applied after bind.</summary>
public readonly record struct UnixSocketAccess(UnixFileMode Mode, uint? Uid, uint? Gid)
{
    /// <summary>Parses <c>--socket-permissions</c> as octal (<c>666</c>, <c>0660</c>).</summary>
    public static UnixFileMode ParseMode(string text)
    {
        var span = text.AsSpan();
        if (span.StartsWith("+"))
        {
            span = span[1..];
        }
        int mode = 0;
        foreach (char c in span)
        {
            if (c is < '0' or > '7' || mode > 0xFFF)
            {
                throw new StartupException("Failed to parse socket permissions");
            }
            mode = mode * 8 + (c - '0');
        }
        if (span.IsEmpty || mode > 0xFFF)
        {
            throw new StartupException("Failed to parse socket permissions");
        }
        return (UnixFileMode)mode;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Apply(string path)
    {
        File.SetUnixFileMode(path, Mode);
        if (Uid is not null || Gid is not null)
        {
            if (Libc.Chown(path, Uid ?? uint.MaxValue, Gid ?? uint.MaxValue) != 0)
            {
                throw new StartupException(
                    $"Failed to change the owner of {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            }
        }
    }
}
