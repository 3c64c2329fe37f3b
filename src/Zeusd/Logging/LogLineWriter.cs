using System.Buffers;

namespace Zeusd.Logging;

/// <summary>
/// Writes log lines to a stream from one background thread, in batches. Hand-written because the framework's console
/// logger wakes its writer thread and makes one write(2) per line: with an audit line on every gpu-control request
/// under a policy, that cost about 30 µs of CPU per request at one connection (BENCHMARKS.md, issue 17). Here a line is
/// copied into a buffer under a lock (a <see cref="Lock"/>: <c>Monitor</c> was a fifth of the audit line's cost under
/// contention); the first line of a batch wakes the writer, which waits
/// <see cref="DefaultCoalescing"/> for more and writes them all with one call. A busy daemon wakes it at most 100 times a
/// second, an idle one never.
/// </summary>
public sealed class LogLineWriter : IDisposable
{
    /// <summary>How long a line may wait for others to share its write: its delay on the way to the log.</summary>
    public static readonly TimeSpan DefaultCoalescing = TimeSpan.FromMilliseconds(10);

    /// <summary>Lines waiting beyond this make their callers wait (stdout blocked), as the console logger's full queue did.</summary>
    public const int MaxPendingBytes = 1 << 20;

    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(2);

    private readonly Stream _output;
    private readonly TimeSpan _coalescing;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _batchStarted = new(0);
    private readonly ManualResetEventSlim _stopping = new();
    private readonly ManualResetEventSlim _room = new(true);
    private readonly Thread _thread;
    private ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private ArrayBufferWriter<byte> _writing = new(16 * 1024);
    private bool _disposed;
    private bool _writerDone;
    private bool _outputFailed;

    public LogLineWriter(Stream output, TimeSpan coalescing)
    {
        _output = output;
        _coalescing = coalescing;
        _thread = new Thread(Run) { IsBackground = true, Name = "zeusd log writer" };
        _thread.Start();
    }

    /// <summary>Queues one complete line (its newline included); it reaches the stream whole, in the order added.</summary>
    public void Add(ReadOnlySpan<byte> line)
    {
        bool startsBatch;
        while (true)
        {
            lock (_lock)
            {
                if (_pending.WrittenCount < MaxPendingBytes || _disposed)
                {
                    startsBatch = _pending.WrittenCount == 0;
                    line.CopyTo(_pending.GetSpan(line.Length));
                    _pending.Advance(line.Length);
                    if (_writerDone)
                    {
                        // Teardown's last lines, after the writer stopped: written here and now.
                        WriteOut(_pending);
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
                // Lines added meanwhile join this batch; Dispose ends the wait early.
                _stopping.Wait(_coalescing);
            }
            bool last;
            lock (_lock)
            {
                (_pending, _writing) = (_writing, _pending);
                last = _disposed;
            }
            _room.Set();
            WriteOut(_writing);
            if (last)
            {
                lock (_lock)
                {
                    WriteOut(_pending); // added between the swap and now
                    _writerDone = true;
                }
                return;
            }
        }
    }

    private void WriteOut(ArrayBufferWriter<byte> lines)
    {
        if (lines.WrittenCount > 0 && !_outputFailed)
        {
            try
            {
                _output.Write(lines.WrittenSpan);
                _output.Flush();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException)
            {
                _outputFailed = true; // stdout closed: there is nowhere left to say so
            }
        }
        lines.ResetWrittenCount();
    }

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
