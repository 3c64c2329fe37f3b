using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

internal static unsafe partial class Nvml
{
    /// <summary>
    /// NVML's own description of a return code. The string is static and owned by NVML, so the declaration returns
    /// the bare pointer: declared as <c>string</c>, the marshaller would free NVML's memory and crash the process.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlErrorString")]
    private static partial byte* ErrorStringPointer(NvmlReturn result);

    /// <summary>The driver's text for <paramref name="result"/>, for logs.</summary>
    public static string ErrorString(NvmlReturn result) =>
        Marshal.PtrToStringUTF8((nint)ErrorStringPointer(result)) ?? result.ToString();
}
