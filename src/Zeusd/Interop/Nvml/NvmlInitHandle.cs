using System.Runtime.InteropServices;

namespace Zeusd.Interop.Nvml;

/// <summary>
/// One reference on NVML's initialization. NVML counts <c>nvmlInit_v2</c> calls and tears down only when every one has
/// been matched by <c>nvmlShutdown</c>, so each holder (every GPU handle, every probe) owns its own reference and
/// releasing it never invalidates another holder's devices.
/// </summary>
internal sealed class NvmlInitHandle : SafeHandle
{
    // NVML hands out no pointer for an initialization; any non-zero value marks "this reference is held".
    private const nint Held = 1;

    private NvmlInitHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Calls <c>nvmlInit_v2</c>; the returned handle releases the reference with <c>nvmlShutdown</c>.</summary>
    public static NvmlReturn TryInitialize(out NvmlInitHandle? reference)
    {
        reference = null;
        var result = Nvml.Init();
        if (result == NvmlReturn.Success)
        {
            reference = new NvmlInitHandle();
            reference.SetHandle(Held);
        }
        return result;
    }

    protected override bool ReleaseHandle() => Nvml.Shutdown() == NvmlReturn.Success;
}
