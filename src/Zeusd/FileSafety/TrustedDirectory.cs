using Zeusd.Interop.Libc;

namespace Zeusd.FileSafety;

/// <summary>
/// Whether a directory may hold a file a root daemon relies on (its socket, its signing key): only root and zeusd's own
/// user may add, remove or rename its entries. Group- or world-writable is acceptable only with the sticky bit (as on
/// <c>/tmp</c>), because then nobody else may remove or rename an entry they do not own, so zeusd's files stay its own.
/// </summary>
internal static class TrustedDirectory
{
    private const int GroupOrOtherWrite = 0x12; // 0022
    private const int Sticky = 0x200;           // 01000

    /// <summary>Null when the directory is trusted, else a sentence naming it, the problem and the fix.</summary>
    public static string? WhyNotTrusted(FileStatus directory, string path, string holds, uint effectiveUid)
    {
        if (directory.Uid != 0 && directory.Uid != effectiveUid)
        {
            return $"The directory {path} that holds {holds} is owned by uid {directory.Uid}, not by root or zeusd's user " +
                $"(uid {effectiveUid}); that user could replace {holds}. Use a directory owned by root.";
        }
        if ((directory.Permissions & GroupOrOtherWrite) != 0 && (directory.Permissions & Sticky) == 0)
        {
            return $"The directory {path} that holds {holds} is writable by group or others without the sticky bit " +
                $"(mode 0{Convert.ToString(directory.Permissions, 8)}); they could replace {holds}. " +
                $"Restrict it with: chmod go-w '{path}'";
        }
        return null;
    }
}
