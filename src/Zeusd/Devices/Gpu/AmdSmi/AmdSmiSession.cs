using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Zeusd.Interop.AmdSmi;
using Native = Zeusd.Interop.AmdSmi.AmdSmi;

namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>
/// The process's use of libamd_smi: loaded, initialized and version-checked at most once per process (a failure is
/// kept and returned to every later user, as in the original daemon), never shut down. Every call into the library
/// goes through <see cref="EnterCall"/>, which serializes calls for libraries before 26.2 (not thread-safe there).
/// </summary>
internal sealed partial class AmdSmiSession
{
    /// <summary>
    /// How long a call waits for the library lock before it fails with a 500. Upstream waits forever, so one hung call
    /// freezes every GPU; bounded, a request behind a hung call answers well within a client's 5 s timeout.
    /// </summary>
    public static readonly TimeSpan CallLockWaitLimit = TimeSpan.FromSeconds(3);

    private static readonly Lock s_startLock = new();
    private static AmdSmiSession? s_started;
    private static DeviceException? s_startFailure;

    private readonly Lock _callLock = new();
    // Starts true: init and the version query are serialized whatever the version turns out to be.
    private volatile bool _serialize = true;
    private string _holder = "";
    private long _heldSince;

    private AmdSmiSession(AmdSmiLoadedLibrary library)
    {
        Library = library;
    }

    public AmdSmiLoadedLibrary Library { get; }

    public AmdSmiAbiLayout Layout => Library.Layout;

    public AmdSmiLibraryVersion Version { get; private set; }

    /// <summary>Whether calls are serialized (libraries before 26.2).</summary>
    public bool SerializesCalls => _serialize;

    /// <summary>
    /// The process's session: loads the first usable library of <paramref name="search"/>, initializes it for AMD GPUs
    /// and checks its version, the first time; later calls return the same session or throw the same error.
    /// </summary>
    /// <exception cref="DeviceException">The library could not be loaded, initialized or is not supported.</exception>
    public static AmdSmiSession Start(AmdSmiLibrarySearch search, ILogger logger)
    {
        lock (s_startLock)
        {
            if (s_startFailure is not null)
            {
                throw s_startFailure;
            }
            if (s_started is not null)
            {
                return s_started;
            }
            try
            {
                s_started = StartOnce(search, logger);
                return s_started;
            }
            catch (DeviceException ex)
            {
                s_startFailure = ex;
                throw;
            }
        }
    }

    private static unsafe AmdSmiSession StartOnce(AmdSmiLibrarySearch search, ILogger logger)
    {
        var library = AmdSmiLibrary.TryLoad(search.Candidates(), out var failures)
            ?? throw AmdSmiErrors.LoadFailed(AmdSmiErrors.NoLibrary(failures));
        AmdSmiLibrary.Register(library);
        Log.Loaded(logger, library.Path, library.Layout.Abi);
        var session = new AmdSmiSession(library);

        AmdSmiStatus status;
        using (session.EnterCall("amdsmi_init"))
        {
            status = Native.Init(Native.InitAmdGpus);
        }
        session.Check(status);

        // The real library answers NOT_INIT before init, so the version can only be asked now.
        byte* buffer = stackalloc byte[Native.VersionBufferSize];
        new Span<byte>(buffer, Native.VersionBufferSize).Clear();
        using (session.EnterCall("amdsmi_get_lib_version"))
        {
            status = Native.GetLibVersion(buffer);
        }
        if (status != AmdSmiStatus.Success)
        {
            throw AmdSmiErrors.VersionCallFailed(session.StatusMessage(status));
        }
        var layout = library.Layout;
        var version = layout.DecodeVersion(new ReadOnlySpan<byte>(buffer, Native.VersionBufferSize));
        if (layout.IsRocm62(version))
        {
            throw AmdSmiErrors.Rocm62(version);
        }
        if (!layout.IsSupported(version))
        {
            throw AmdSmiErrors.IncompatibleVersion(layout.Abi, version);
        }
        session.Version = version;
        session._serialize = layout.NeedsSerializedCalls(version);
        if (session._serialize)
        {
            Log.Serialized(logger, version.ToString());
        }
        Log.Initialized(logger, version.ToString(), library.Path, layout.Abi);
        return session;
    }

    /// <summary>
    /// Begins one library call (wrap exactly one call in it, never two: a failed call's status text is fetched after
    /// the lock is released). With serialized calls, waits for the lock at most <see cref="CallLockWaitLimit"/>.
    /// </summary>
    /// <param name="function">The AMD SMI function about to be called, for the timeout text.</param>
    /// <param name="gpu">The GPU index the call is for, or -1.</param>
    /// <exception cref="DeviceException">The lock was not free in time (500).</exception>
    public AmdSmiCallScope EnterCall(string function, int gpu = -1)
    {
        if (!_serialize)
        {
            return new AmdSmiCallScope(null);
        }
        if (!_callLock.TryEnter(CallLockWaitLimit))
        {
            throw AmdSmiErrors.CallLockTimeout(Describe(function, gpu), CallLockWaitLimit, Volatile.Read(ref _holder),
                Stopwatch.GetElapsedTime(Volatile.Read(ref _heldSince)));
        }
        Volatile.Write(ref _holder, Describe(function, gpu));
        Volatile.Write(ref _heldSince, Stopwatch.GetTimestamp());
        return new AmdSmiCallScope(this);
    }

    internal void ExitCall() => _callLock.Exit();

    private static string Describe(string function, int gpu) => gpu >= 0 ? $"{function} on GPU {gpu}" : function;

    /// <summary>Throws the error for a failed call.</summary>
    public void Check(AmdSmiStatus status)
    {
        if (status != AmdSmiStatus.Success)
        {
            throw Error(status);
        }
    }

    public DeviceException Error(AmdSmiStatus status) => AmdSmiErrors.Status(status, StatusMessage(status));

    /// <summary>
    /// The library's text for <paramref name="status"/>, or the status in decimal when the library has none (it
    /// answers UNKNOWN_ERROR for codes it does not know) or the lock is not free in time.
    /// </summary>
    public unsafe string StatusMessage(AmdSmiStatus status)
    {
        byte* text = null;
        AmdSmiStatus result;
        try
        {
            using (EnterCall("amdsmi_status_code_to_string"))
            {
                result = Native.StatusCodeToString(status, &text);
            }
        }
        catch (DeviceException)
        {
            result = AmdSmiStatus.UnknownError;
        }
        return result == AmdSmiStatus.Success && text != null
            ? Marshal.PtrToStringUTF8((nint)text) ?? ""
            : ((uint)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The GPUs in the library's order: each socket's processors, socket by socket. That order is the GPU ids, and
    /// the same as amd-smi's GPU indices; the daemon does not sort.
    /// </summary>
    public unsafe nint[] EnumerateGpus()
    {
        var gpus = new List<nint>();
        foreach (nint socket in ReadHandles("amdsmi_get_socket_handles", static (_, count, buffer) => Native.GetSocketHandles(count, buffer), 0))
        {
            gpus.AddRange(ReadHandles("amdsmi_get_processor_handles",
                static (s, count, buffer) => Native.GetProcessorHandles(s, count, buffer), socket));
        }
        return [.. gpus];
    }

    private unsafe delegate AmdSmiStatus HandleQuery(nint parent, uint* count, nint* buffer);

    /// <summary>The two-call protocol: the count first, then at most that many handles, kept as many as were written.</summary>
    private unsafe nint[] ReadHandles(string function, HandleQuery query, nint parent)
    {
        uint count = 0;
        AmdSmiStatus status;
        using (EnterCall(function))
        {
            status = query(parent, &count, null);
        }
        Check(status);
        if (count == 0)
        {
            return [];
        }
        var handles = new nint[count];
        fixed (nint* buffer = handles)
        {
            using (EnterCall(function))
            {
                status = query(parent, &count, buffer);
            }
        }
        Check(status);
        return count < handles.Length ? handles[..(int)count] : handles;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loaded AMD SMI from {Path} using ABI {Abi}")]
        public static partial void Loaded(ILogger logger, string path, int abi);

        [LoggerMessage(2, LogLevel.Information, "AMD SMI {Version} calls are serialized to work around the pre-26.2 libamd_smi thread-safety bug")]
        public static partial void Serialized(ILogger logger, string version);

        [LoggerMessage(3, LogLevel.Information, "Initialized AMD SMI {Version} from {Path} using ABI {Abi}")]
        public static partial void Initialized(ILogger logger, string version, string path, int abi);
    }
}
