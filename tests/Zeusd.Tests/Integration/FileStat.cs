using System.Runtime.InteropServices;

namespace Zeusd.Tests.Integration;

/// <summary>Owner and mode of a file, read with statx (architecture-independent layout).</summary>
public readonly partial record struct FileStat(int Permissions, uint Uid, uint Gid)
{
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeStatx(int dirFd, string path, int flags, uint mask, out Statx buffer);

    public static FileStat Of(string path)
    {
        if (NativeStatx(-100, path, 0, 0xFFF, out var buffer) != 0)
        {
            throw new IOException($"statx {path} failed: {Marshal.GetLastPInvokeError()}");
        }
        return new FileStat(buffer.Mode & 0xFFF, buffer.Uid, buffer.Gid);
    }
}
