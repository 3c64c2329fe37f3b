namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>
/// One AMD SMI call in progress: holds the library lock when calls are serialized, released on dispose. A ref struct
/// so that a call costs no allocation and cannot outlive the statement it guards.
/// </summary>
internal readonly ref struct AmdSmiCallScope(AmdSmiSession? lockedSession)
{
    public void Dispose() => lockedSession?.ExitCall();
}
