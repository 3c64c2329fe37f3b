using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Zeusd.Logging;

/// <summary>
/// Makes and writes log lines on one background thread, in batches. Hand-written because the framework's console
/// logger formats on the logging thread, wakes its writer thread and makes one write(2) per line: with an audit line on
/// every gpu-control request under a policy, that cost about 30 µs of CPU per request at one connection (BENCHMARKS.md,
/// issue 17). Here the logging thread only queues the event (<see cref="PendingLine"/>) under a <see cref="Lock"/>
/// (<c>Monitor</c> was a fifth of the audit line's cost under contention); the first event of a batch wakes the writer,
/// which waits <see cref="DefaultCoalescing"/> for more, then makes every line in one warm loop and writes them with one
/// call. A busy daemon wakes it at most 100 times a second, an idle one never.
/// </summary>
public sealed class LogLineWriter : IDisposable
{
    /// <summary>How long a line may wait for others to share its write: its delay on the way to the log.</summary>
    public static readonly TimeSpan DefaultCoalescing = TimeSpan.FromMilliseconds(10);

    /// <summary>Events waiting beyond this make their callers wait (stdout blocked), as the console logger's full queue did.</summary>
    public const int MaxPendingLines = 8192;

    private const int KeptLineBytes = 1 << 20;
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(2);

    private readonly Stream _output;
    private readonly LogLineStyle _style;
    private readonly TimeSpan _coalescing;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _batchStarted = new(0);
    // No spinning before these sleep: the writer waits on them every batch, and a spin is CPU taken from requests.
    private readonly ManualResetEventSlim _stopping = new(false, 0);
    private readonly ManualResetEventSlim _room = new(true, 0);
    private readonly Thread _thread;
    private PendingLine[] _pending = new PendingLine[256];
    private int _pendingCount;
    private PendingLine[] _writing = new PendingLine[256];
    private ArrayBufferWriter<byte> _lines = new(16 * 1024);
    private bool _disposed;
    private bool _writerDone;
    private bool _outputFailed;

    public LogLineWriter(Stream output, LogLineStyle style, TimeSpan coalescing)
    {
        _output = output;
        _style = style;
        _coalescing = coalescing;
        _thread = new Thread(Run) { IsBackground = true, Name = "zeusd log writer" };
        _thread.Start();
    }

    /// <summary>How the lines start: a journal line has no timestamp, so its loggers need not read the clock.</summary>
    public LogLineStyle Style => _style;

    /// <summary>Queues one event; its line reaches the stream whole, in the order added.</summary>
    public void Add(in PendingLine line)
    {
        bool startsBatch;
        while (true)
        {
            lock (_lock)
            {
                if (_pendingCount < MaxPendingLines || _disposed)
                {
                    startsBatch = _pendingCount == 0;
                    if (_pendingCount == _pending.Length)
                    {
                        Array.Resize(ref _pending, _pending.Length * 2);
                    }
                    _pending[_pendingCount++] = line;
                    if (_writerDone)
                    {
                        // Teardown's last lines, after the writer stopped: written here and now.
                        WriteOut(_pending, ref _pendingCount);
                        return;
                    }
                    break;
                }
                _room.Reset(); // the writer sets it after its next swap, which needs this lock
            }
            _room.Wait(TimeSpan.FromMilliseconds(50));
        }
        if (startsBatch)
        {
            _batchStarted.Release();
        }
    }

    private void Run()
    {
        while (true)
        {
            _batchStarted.Wait();
            if (!Volatile.Read(ref _disposed) && _coalescing > TimeSpan.Zero)
            {
                // Events added meanwhile join this batch; Dispose ends the wait early.
                _stopping.Wait(_coalescing);
            }
            bool last;
            int count;
            lock (_lock)
            {
                (_pending, _writing) = (_writing, _pending);
                count = _pendingCount;
                _pendingCount = 0;
                last = _disposed;
            }
            _room.Set();
            WriteOut(_writing, ref count);
            if (last)
            {
                lock (_lock)
                {
                    WriteOut(_pending, ref _pendingCount); // added between the swap and now
                    _writerDone = true;
                }
                return;
            }
        }
    }

    /// <summary>Makes the lines of the first <paramref name="count"/> events, writes them in one call, forgets the events.</summary>
    private void WriteOut(PendingLine[] lines, ref int count)
    {
        if (count == 0)
        {
            return;
        }
        if (!_outputFailed)
        {
            for (int i = 0; i < count; i++)
            {
                if (i + PrefetchDistance < count)
                {
                    ref readonly var ahead = ref lines[i + PrefetchDistance];
                    Prefetch(ahead.Parts.Object1 ?? ahead.Message);
                }
                lines[i].AppendTo(_lines, _style);
            }
            try
            {
                _output.Write(_lines.WrittenSpan);
                _output.Flush();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException)
            {
                _outputFailed = true; // stdout closed: there is nowhere left to say so
            }
            _lines.ResetWrittenCount();
            if (_lines.Capacity > KeptLineBytes)
            {
                _lines = new ArrayBufferWriter<byte>(16 * 1024); // one burst must not keep its buffer for good
            }
        }
        Array.Clear(lines, 0, count); // the events' messages are garbage now
        count = 0;
    }

    /// <summary>
    /// Asks the core to load a line's first object a few lines ahead (a message by value's first part, else the message).
    /// Each was made on another core, so reading it is a cache miss the hardware prefetcher cannot foresee (the objects
    /// are not in a row): perf annotate put such misses at more than half of the time this thread took per line
    /// (BENCHMARKS.md, issue 17). Only a hint: it cannot fault, and an object the GC moved meanwhile is merely not
    /// prefetched.
    /// </summary>
    private static unsafe void Prefetch(object message)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0((void*)Unsafe.As<object, nint>(ref message));
        }
    }

    private const int PrefetchDistance = 4;

    /// <summary>Writes what is queued (within <see cref="StopBudget"/>: a blocked stdout must not hold up the exit).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _stopping.Set();
        _batchStarted.Release();
        _thread.Join(StopBudget);
    }
}
