using System.Text;
using Microsoft.Extensions.Logging;
using Zeusd.Logging;

namespace Zeusd.Tests.Logging;

public sealed class LogLineWriterTests
{
    /// <summary>A stream that keeps what it got and counts the calls it got it in.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly Lock _lock = new();

        public int Writes { get; private set; }

        public bool Fail { get; init; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_lock)
            {
                if (Fail)
                {
                    throw new IOException("Broken pipe");
                }
                Writes++;
                base.Write(buffer);
            }
        }

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return Encoding.UTF8.GetString(ToArray());
                }
            }
        }
    }

    /// <summary>Journal lines: <c>&lt;6&gt;T[0] {text}</c>, no timestamp.</summary>
    private const string Prefix = "<6>T[0] ";

    private static readonly byte[] Category = "T"u8.ToArray();

    private static PendingLine Line(string text) => new(default, LogLevel.Information, Category, 0, text, null);

    private static LogLineWriter Writer(Stream output, TimeSpan coalescing) => new(output, LogLineStyle.Journal, coalescing);

    private static string[] Texts(RecordingStream output) =>
        [.. output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.StartsWith(Prefix) ? line[Prefix.Length..] : line)];

    [Fact]
    public void Add_ManyThreadsAtOnce_EveryLineArrivesWholeAndInEachThreadsOrder()
    {
        var output = new RecordingStream();
        using (var writer = Writer(output, TimeSpan.FromMilliseconds(1)))
        {
            Parallel.For(0, 8, thread =>
            {
                for (int i = 0; i < 2000; i++)
                {
                    writer.Add(Line($"thread {thread} line {i} " + new string('x', i % 300)));
                }
            });
        }

        var lines = Texts(output);
        Assert.Equal(16000, lines.Length);
        for (int thread = 0; thread < 8; thread++)
        {
            var own = lines.Where(l => l.StartsWith($"thread {thread} ")).Select(l => l.Split(' ')).ToList();
            Assert.Equal(Enumerable.Range(0, 2000), own.Select(parts => int.Parse(parts[3])));
            Assert.All(own, parts => Assert.Equal(int.Parse(parts[3]) % 300, parts.Length > 4 ? parts[4].Length : 0));
        }
    }

    [Fact]
    public async Task Add_LinesWithinTheBatchWindow_ShareOneWrite()
    {
        var output = new RecordingStream();
        using var writer = Writer(output, TimeSpan.FromMilliseconds(300));

        for (int i = 0; i < 100; i++)
        {
            writer.Add(Line($"line {i}"));
        }
        Assert.Equal(0, output.Writes);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (output.Writes == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, output.Writes);
        Assert.Equal(100, Texts(output).Length);
    }

    [Fact]
    public void Dispose_LinesWaitingForTheirBatch_AreWrittenAtOnce()
    {
        var output = new RecordingStream();
        var writer = Writer(output, TimeSpan.FromMinutes(5));
        writer.Add(Line("Stopped"));

        var started = DateTime.UtcNow;
        writer.Dispose();

        Assert.Equal(Prefix + "Stopped\n", output.Text);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "Dispose waited out the batch window");
    }

    [Fact]
    public void Add_AfterDispose_IsWrittenAtOnce()
    {
        var output = new RecordingStream();
        var writer = Writer(output, TimeSpan.FromMilliseconds(10));
        writer.Dispose();

        writer.Add(Line("late"));

        Assert.Equal(Prefix + "late\n", output.Text);
    }

    /// <summary>A stream whose writes block until the test opens the gate, like a stdout nobody reads.</summary>
    private sealed class GatedStream : MemoryStream
    {
        public ManualResetEventSlim Gate { get; } = new();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Gate.Wait();
            lock (this)
            {
                base.Write(buffer);
            }
        }
    }

    [Fact]
    public async Task Add_OutputBlocked_CallersWaitAtTheLimitAndEveryLineArrivesOnceItFlows()
    {
        var output = new GatedStream();
        var writer = Writer(output, TimeSpan.Zero);
        var line = Line(new string('x', 1024 - Prefix.Length - 1)); // 1 KiB with its prefix and newline
        int lines = 3 * LogLineWriter.MaxPendingLines;

        var adding = Task.Run(() =>
        {
            for (int i = 0; i < lines; i++)
            {
                writer.Add(line);
            }
        });
        await Task.Delay(500);
        Assert.False(adding.IsCompleted, "callers did not wait while the output was blocked");

        output.Gate.Set();
        await adding.WaitAsync(TimeSpan.FromSeconds(10));
        writer.Dispose();

        Assert.Equal(lines * 1024L, output.Length);
    }

    [Fact]
    public void Add_OutputBroken_CallersNeverSeeTheError()
    {
        var output = new RecordingStream { Fail = true };
        var writer = Writer(output, TimeSpan.Zero);

        for (int i = 0; i < 1000; i++)
        {
            writer.Add(Line($"line {i}"));
        }
        writer.Dispose();
        writer.Add(Line("late"));

        Assert.Equal("", output.Text);
    }
}
