using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

/// <summary>
/// Finds and loads the NVML shared library the way NVIDIA installs it: <c>libnvidia-ml.so.1</c> (then the
/// development symlink <c>libnvidia-ml.so</c>) through the dynamic loader's search path on Linux; on Windows
/// <c>nvml.dll</c> from the system directory, then from the NVSMI folder of older drivers.
/// </summary>
internal static class NvmlLibrary
{
    private static readonly Lock s_lock = new();
    private static nint s_handle;

    /// <summary>The file names or paths tried, in order.</summary>
    public static IReadOnlyList<string> Candidates { get; } = OperatingSystem.IsWindows()
        ?
        [
            Path.Combine(Environment.SystemDirectory, "nvml.dll"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "NVIDIA Corporation", "NVSMI", "nvml.dll"),
        ]
        : ["libnvidia-ml.so.1", "libnvidia-ml.so"];

    /// <summary>
    /// Loads NVML once per process and routes <see cref="Nvml.LibraryName"/> to it through <see cref="NativeLibraryResolver"/>.
    /// </summary>
    /// <returns>null when NVML is loaded, else why it could not be.</returns>
    public static string? TryLoad()
    {
        lock (s_lock)
        {
            if (s_handle != 0)
            {
                return null;
            }
            string? lastError = null;
            foreach (string candidate in Candidates)
            {
                try
                {
                    s_handle = NativeLibrary.Load(candidate);
                    break;
                }
                catch (DllNotFoundException ex)
                {
                    lastError = ex.Message;
                }
                catch (BadImageFormatException ex)
                {
                    lastError = ex.Message;
                }
            }
            if (s_handle == 0)
            {
                return $"the NVML library could not be loaded (tried {string.Join(", ", Candidates)}): {lastError}";
            }
            NativeLibraryResolver.Register(Nvml.LibraryName, s_handle);
            return null;
        }
    }
}
