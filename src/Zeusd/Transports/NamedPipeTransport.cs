using System.IO.Pipes;
using System.Runtime.Versioning;
using Zeusd.Common;

namespace Zeusd.Transports;

/// <summary>
/// The Windows named-pipe transport: Kestrel's named-pipe listener with a DACL from <c>--pipe-sddl</c>, and the first
/// instance created exclusively so that a second daemon on the same name fails instead of sharing it.
/// </summary>
public static class NamedPipeTransport
{
    public const string Prefix = @"\\.\pipe\";

    /// <summary>Kestrel wants the bare name: <c>\\.\pipe\zeusd</c> becomes <c>zeusd</c>.</summary>
    public static string BareName(string pipeName) =>
        pipeName.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? pipeName[Prefix.Length..] : pipeName;

    [SupportedOSPlatform("windows")]
    public static PipeSecurity ParseSddl(string sddl)
    {
        try
        {
            var security = new PipeSecurity();
            security.SetSecurityDescriptorSddlForm(sddl);
            return security;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UnauthorizedAccessException)
        {
            throw new StartupException($"Failed to parse pipe SDDL '{sddl}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Registers the named-pipe transport and its listener. Must run before the host is built: the transport is a
    /// service, and the service collection is read-only afterwards.
    /// </summary>
    [SupportedOSPlatform("windows")]
    public static void Register(IWebHostBuilder web, string pipeName, string sddl)
    {
        var security = ParseSddl(sddl);
        int created = 0;
        web.UseNamedPipes(options =>
        {
            options.CurrentUserOnly = false;
            options.PipeSecurity = security;
            options.CreateNamedPipeServerStream = context =>
            {
                var pipeOptions = context.PipeOptions;
                if (Interlocked.Exchange(ref created, 1) == 0)
                {
                    pipeOptions |= PipeOptions.FirstPipeInstance;
                }
                return NamedPipeServerStreamAcl.Create(context.NamedPipeEndPoint.PipeName, PipeDirection.InOut,
                    MaxInstances, PipeTransmissionMode.Byte, pipeOptions, 0, 0, security);
            };
        });
        web.ConfigureKestrel(kestrel => kestrel.ListenNamedPipe(BareName(pipeName)));
    }

    /// <summary>Windows allows at most 254 instances of one pipe name besides the listener (the original's limit).</summary>
    public const int MaxInstances = 254;
}
