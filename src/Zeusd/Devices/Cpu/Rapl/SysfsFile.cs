using System.Text;
using Microsoft.Win32.SafeHandles;
using Zeusd.Compat;

namespace Zeusd.Devices.Cpu.Rapl;

/// <summary>
/// Reads small sysfs attribute files. sysfs reports a size of 0 or 4096 whatever the contents, so a file is read until
/// end of file rather than by its size; every read opens the file anew, so the kernel produces a fresh value.
/// Failures are <see cref="DeviceException"/>s with the contract's <c>IOError: ...</c> text.
/// </summary>
public static class SysfsFile
{
    /// <summary>Longer than any RAPL attribute (a u64 is at most 20 digits); longer contents are invalid.</summary>
    private const int MaxLength = 128;

    /// <summary>The file's contents, trimmed of surrounding whitespace, as an unsigned 64-bit integer.</summary>
    public static ulong ReadUInt64(string path)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var bytes = Read(path, buffer).Trim(" \t\r\n\v\f"u8);
        // Latin-1 maps every byte to one char, so any non-digit byte stays a non-digit.
        Span<char> text = stackalloc char[bytes.Length];
        Encoding.Latin1.GetChars(bytes, text);
        if (RustUnsignedParser.TryParse(text, ulong.MaxValue, out ulong value) is { } error)
        {
            throw RaplIoError.InvalidData(path, error);
        }
        return value;
    }

    /// <summary>The file's contents with trailing whitespace (the newline sysfs adds) removed.</summary>
    public static string ReadText(string path)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return Encoding.UTF8.GetString(Read(path, buffer).TrimEnd(" \t\r\n\v\f"u8));
    }

    private static Span<byte> Read(string path, Span<byte> buffer)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            int length = 0;
            while (true)
            {
                int read = RandomAccess.Read(handle, buffer[length..], length);
                if (read == 0)
                {
                    return buffer[..length];
                }
                length += read;
                if (length == buffer.Length)
                {
                    throw RaplIoError.InvalidData(path, $"contents longer than {MaxLength} bytes");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RaplIoError.From(ex, path);
        }
    }
}
