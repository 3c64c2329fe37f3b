using System.Runtime.InteropServices;

namespace Zeusd.Hosting;

/// <summary>
/// <c>SIGHUP</c>: re-read configuration files (the policy) without a restart, the convention of Unix daemons. The
/// handler runs on the runtime's signal thread; the daemon keeps running whatever it does. No-op on Windows.
/// </summary>
public sealed class ReloadSignal : IDisposable
{
    private readonly PosixSignalRegistration? _registration;

    public ReloadSignal(Action reload)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Cancel the default action (terminate) and reload instead.
                context.Cancel = true;
                reload();
            });
        }
    }

    public void Dispose() => _registration?.Dispose();
}
