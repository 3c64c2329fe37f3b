using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Zeusd.Common;
using Zeusd.Interop.Libc;

namespace Zeusd.Restore;

/// <summary>
/// The restore journal: one small file per changed setting (<c>gpu-&lt;pci&gt;.&lt;setting&gt;.json</c>) in the state
/// directory, so each GPU's records are written only from that GPU's queue and never contend. Every write is durable
/// before it returns: the record goes to a new temporary file (mode 0600, never following a link), is fsynced,
/// renamed over the record and the directory is fsynced, so a crash leaves the old record or the new one, never half
/// of one; a temporary file left by a crash is removed at the next start.
/// </summary>
public sealed partial class RestoreJournal
{
    private const string Prefix = "gpu-";
    private const string Suffix = ".json";
    private const string TemporarySuffix = ".tmp";
    private const int MaxRecordBytes = 64 * 1024;
    private const uint FileTypeDirectory = 0x4000;
    private const uint FileTypeRegular = 0x8000;
    private const int AtSymlinkNoFollow = 0x100;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode RecordMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ILogger _logger;

    private RestoreJournal(string directory, ILogger logger)
    {
        Directory = directory;
        _logger = logger;
    }

    public string Directory { get; }

    /// <summary>
    /// Opens (creating it 0700 if missing) the state directory. It must be a real directory owned by this user that
    /// nobody else can write to: the journal decides what zeusd writes to GPUs at its next start.
    /// </summary>
    /// <exception cref="StartupException">The directory cannot be created or is not safe to use.</exception>
    public static RestoreJournal Open(string directory, ILogger logger)
    {
        try
        {
            if (!System.IO.Directory.Exists(directory) && !File.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    System.IO.Directory.CreateDirectory(directory);
                }
                else
                {
                    System.IO.Directory.CreateDirectory(directory, DirectoryMode);
                }
                Log.Created(logger, directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Cannot create the state directory {directory}: {ex.Message}", ex);
        }
        if (!OperatingSystem.IsWindows())
        {
            if (Libc.Statx(Libc.AtFdCwd, directory, AtSymlinkNoFollow, Libc.StatxType | Libc.StatxMode | Libc.StatxUid, out var status) != 0)
            {
                throw new StartupException($"Cannot inspect the state directory {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
            if ((status.Mode & Libc.FileTypeMask) != FileTypeDirectory)
            {
                throw new StartupException($"The state directory {directory} is not a directory (a symbolic link or a file is not accepted)");
            }
            if (status.Uid != Privileges.EffectiveUserId)
            {
                throw new StartupException($"The state directory {directory} is owned by uid {status.Uid}, not by zeusd's uid {Privileges.EffectiveUserId}");
            }
            if ((status.Mode & 0b000_010_010) != 0)
            {
                throw new StartupException($"The state directory {directory} is writable by other users (mode {Convert.ToString(status.Mode & 0xFFF, 8)}); use 0700");
            }
        }
        return new RestoreJournal(directory, logger);
    }

    /// <summary>
    /// Every record in the directory. Temporary files (a crash during a write) are removed; a file that is not a
    /// readable record is warned about and left alone, never guessed at.
    /// </summary>
    public List<ChangeRecord> Load()
    {
        var records = new List<ChangeRecord>();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*"))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            {
                TryDelete(path);
                Log.RemovedTemporary(_logger, path);
                continue;
            }
            if (!name.EndsWith(Suffix, StringComparison.Ordinal))
            {
                continue;
            }
            if (Read(path, out string? error) is { } record && FileName(record.PciAddress, record.Setting) == name)
            {
                records.Add(record);
            }
            else
            {
                Log.Unreadable(_logger, path, error ?? "its name does not match its content");
            }
        }
        return records;
    }

    private static ChangeRecord? Read(string path, out string? error)
    {
        if (!OperatingSystem.IsWindows())
        {
            if (Libc.Statx(Libc.AtFdCwd, path, AtSymlinkNoFollow, Libc.StatxType | Libc.StatxUid, out var status) != 0
                || (status.Mode & Libc.FileTypeMask) != FileTypeRegular || status.Uid != Privileges.EffectiveUserId)
            {
                error = "not a regular file owned by zeusd's uid";
                return null;
            }
        }
        byte[] content;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            if (stream.Length > MaxRecordBytes)
            {
                error = "too large";
                return null;
            }
            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return null;
        }
        return ChangeRecordJson.Decode(content, out error);
    }

    /// <summary>Writes (or replaces) the record durably.</summary>
    /// <exception cref="IOException">It could not be written; the previous record, if any, is intact.</exception>
    public void Save(ChangeRecord record)
    {
        string path = PathOf(record);
        string temporary = path + TemporarySuffix;
        try
        {
            File.Delete(temporary);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = RecordMode;
            }
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(ChangeRecordJson.Encode(record));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException(ex.Message, ex);
        }
        SyncDirectory();
    }

    /// <summary>Removes the record durably; a missing record is not an error.</summary>
    /// <exception cref="IOException">It could not be removed.</exception>
    public void Delete(ChangeRecord record)
    {
        try
        {
            File.Delete(PathOf(record));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException(ex.Message, ex);
        }
        SyncDirectory();
    }

    public string PathOf(ChangeRecord record) => Path.Combine(Directory, FileName(record.PciAddress, record.Setting));

    /// <summary>The record's file name: the PCI address with anything but letters, digits and dots as '-'.</summary>
    public static string FileName(string pciAddress, RestorableSetting setting)
    {
        var name = new StringBuilder(Prefix, 64);
        foreach (char c in pciAddress)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '.' ? char.ToLowerInvariant(c) : '-');
        }
        return name.Append('.').Append(setting.WireName()).Append(Suffix).ToString();
    }

    /// <summary>fsync of the directory, so a rename or unlink survives a power loss (.NET opens no directory handle).</summary>
    private void SyncDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        int fd = Libc.Open(Directory, Libc.OpenReadOnly | Libc.OpenDirectory | Libc.OpenCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {Directory} to sync it: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (Libc.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {Directory} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Created the state directory {Directory} (mode 0700)")]
        public static partial void Created(ILogger logger, string directory);

        [LoggerMessage(2, LogLevel.Information, "Removed {Path}: an incomplete journal write interrupted by a crash (the previous record, if any, is intact)")]
        public static partial void RemovedTemporary(ILogger logger, string path);

        [LoggerMessage(3, LogLevel.Warning, "Ignoring {Path}: {Reason}; it is left in place")]
        public static partial void Unreadable(ILogger logger, string path, string reason);
    }
}
