using Zeusd.Interop.AmdSmi;

namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>
/// Every text the AMD SMI backend shows clients and operators, in the original daemon's wording where it has one
/// (clients and scripts compare texts), and the status each AMD SMI code becomes: NO_PERM is 403, INVAL and
/// NOT_SUPPORTED are 400, every other code is 500.
/// </summary>
internal static class AmdSmiErrors
{
    public const string EnergyUnavailable =
        "The cumulative energy counter of this GPU is not available. It is either unsupported or failed validation at zeusd " +
        "startup (see https://github.com/ROCm/amdsmi/issues/38). Poll /gpu/get_power and integrate over time instead.";

    public const string PersistenceUnsupported = "persistence mode is not supported on AMD GPUs";

    public const string SingleDomainResetUnsupported =
        "AMD GPUs cannot reset a single clock domain; use reset_locked_clocks to reset all domains";

    /// <summary>A failed call: <c>AMDSMI error {status}: {message}</c>, the status in decimal.</summary>
    public static DeviceException Status(AmdSmiStatus status, string message) =>
        new(KindOf(status), $"AMDSMI error {(uint)status}: {message}");

    public static DeviceErrorKind KindOf(AmdSmiStatus status) => status switch
    {
        AmdSmiStatus.NoPermission => DeviceErrorKind.NoPermission,
        AmdSmiStatus.Invalid => DeviceErrorKind.InvalidArgument,
        AmdSmiStatus.NotSupported => DeviceErrorKind.NotSupported,
        _ => DeviceErrorKind.DriverFailure,
    };

    /// <summary>The library could not be loaded, or is a version zeusd does not support.</summary>
    public static DeviceException LoadFailed(string text) =>
        new(DeviceErrorKind.InitializationFailed, "Failed to load AMD SMI: " + text);

    public static string NoLibrary(IEnumerable<AmdSmiLoadFailure> failures) =>
        "no supported AMD SMI library found (AMDSMI_LIB_DIR and ROCM_PATH restrict the search when set; otherwise " +
        "/opt/rocm*/lib and the dynamic loader paths are searched): " + string.Join("; ", failures.Select(Describe));

    /// <summary>
    /// One rejected candidate. The loader's own text already names the file, so an open failure shows the path twice,
    /// as in the original daemon. ROCm 6.2's library has ROCm 6.3's file name but lacks <c>amdsmi_set_gpu_clk_limit</c>.
    /// </summary>
    public static string Describe(AmdSmiLoadFailure failure)
    {
        string path = failure.Candidate.Path;
        if (failure.MissingSymbol is not { } symbol)
        {
            return $"{path}: {failure.LoaderError}";
        }
        string text = $"failed to load {symbol} from {path}: {failure.LoaderError}";
        if (failure.Candidate.Layout.Abi == 24 && text.Contains("amdsmi_set_gpu_clk_limit", StringComparison.Ordinal))
        {
            text += "; a libamd_smi.so.24 without this symbol is ROCm 6.2, which zeusd does not support (ROCm 6.3 is the minimum)";
        }
        return text;
    }

    public static DeviceException VersionCallFailed(string statusMessage) =>
        LoadFailed($"amdsmi_get_lib_version failed: {statusMessage}");

    public static DeviceException Rocm62(AmdSmiLibraryVersion version) =>
        LoadFailed($"found AMD SMI {version} from ROCm 6.2; the oldest supported ROCm is 6.3");

    public static DeviceException IncompatibleVersion(int abi, AmdSmiLibraryVersion version) =>
        LoadFailed($"libamd_smi.so.{abi} reported incompatible library version {version}");

    public static DeviceException GpuIndexMissing(int index) =>
        new(DeviceErrorKind.InvalidRequest, $"GPU index {index} does not exist.");

    /// <summary>The original daemon's <c>ZeusdError::InvalidRequest</c>: <c>Invalid request: {detail}</c>, 400.</summary>
    public static DeviceException InvalidRequest(string detail) => new(DeviceErrorKind.InvalidRequest, "Invalid request: " + detail);

    /// <summary>
    /// A call that could not get the library lock in time (libraries before 26.2 get one call at a time): the call
    /// holding it is most likely hung inside the library, and waiting longer would stall every GPU of the node.
    /// </summary>
    public static DeviceException CallLockTimeout(string function, TimeSpan waited, string holder, TimeSpan held) =>
        new(DeviceErrorKind.DriverFailure,
            $"AMD SMI call {function} gave up after waiting {waited.TotalSeconds:0.#} s: AMD SMI before 26.2 runs one call at a " +
            $"time, and {holder} has been running for {held.TotalSeconds:0.#} s, so the library appears to be hung");
}
