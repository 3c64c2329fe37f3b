using Zeusd.Common;

namespace Zeusd.Transports;

/// <summary>Who may connect to the socket: its mode (octal, as <c>chmod</c> takes it) and owner (see <see cref="UnixSocketListener"/>).</summary>
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
}
