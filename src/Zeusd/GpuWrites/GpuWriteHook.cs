using Zeusd.Auth;
using Zeusd.Devices.Gpu;

namespace Zeusd.GpuWrites;

/// <summary>
/// Code that runs around every GPU write (the restore journal, metrics). <see cref="BeforeApply"/> and
/// <see cref="AfterApply"/> run on the GPU's queue, in the same queued command as the write itself, so nothing else
/// touches the GPU between them.
/// </summary>
public abstract class GpuWriteHook
{
    /// <summary>
    /// Right before the operation. Throwing a <c>DeviceException</c> fails this GPU's write without applying it
    /// (a journal record that cannot be written must not leave an untracked change).
    /// </summary>
    public virtual void BeforeApply(in GpuWriteContext write, IGpu gpu)
    {
    }

    /// <summary>Right after the operation; <paramref name="error"/> is null when it succeeded.</summary>
    public virtual void AfterApply(in GpuWriteContext write, IGpu gpu, Exception? error)
    {
    }

    /// <summary>The authorizer refused the whole command; no GPU was touched.</summary>
    public virtual void Denied(GpuWriteCommand command, Caller caller, string reason)
    {
    }
}
