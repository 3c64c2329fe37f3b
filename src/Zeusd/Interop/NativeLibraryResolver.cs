using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Zeusd.Interop;

/// <summary>
/// The assembly's one <see cref="DllImportResolver"/> (.NET allows one per assembly): each library's loader finds its
/// file its own way (NVML by soname, AMD SMI by ROCm root and ABI) and registers the handle here under the name its
/// <c>[LibraryImport]</c> declarations use. Names nobody registered (libc) fall through to the default probing.
/// </summary>
internal static class NativeLibraryResolver
{
    private static readonly ConcurrentDictionary<string, nint> s_handles = new(StringComparer.Ordinal);

    static NativeLibraryResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    /// <summary>Routes <paramref name="libraryName"/> to <paramref name="handle"/> from now on.</summary>
    public static void Register(string libraryName, nint handle) => s_handles[libraryName] = handle;

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        s_handles.TryGetValue(libraryName, out nint handle) ? handle : 0;
}
