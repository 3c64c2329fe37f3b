using System.Text;
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

    private static byte[] Line(string text) => Encoding.UTF8.GetBytes(text + "\n");

    [Fact]
    public void Add_ManyThreadsAtOnce_EveryLineArrivesWholeAndInEachThreadsOrder()
    {
        var output = new RecordingStream();
        using (var writer = new LogLineWriter(output, TimeSpan.FromMilliseconds(1)))
        {
            Parallel.For(0, 8, thread =>
            {
                for (int i = 0; i < 2000; i++)
                {
                    writer.Add(Line($"thread {thread} line {i} " + new string('x', i % 300)));
                }
            });
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
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
        using var writer = new LogLineWriter(output, TimeSpan.FromMilliseconds(300));

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
        Assert.Equal(100, output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Dispose_LinesWaitingForTheirBatch_AreWrittenAtOnce()
    {
        var output = new RecordingStream();
        var writer = new LogLineWriter(output, TimeSpan.FromMinutes(5));
        writer.Add(Line("Stopped"));

        var started = DateTime.UtcNow;
        writer.Dispose();

        Assert.Equal("Stopped\n", output.Text);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "Dispose waited out the batch window");
    }

    [Fact]
    public void Add_AfterDispose_IsWrittenAtOnce()
    {
        var output = new RecordingStream();
        var writer = new LogLineWriter(output, TimeSpan.FromMilliseconds(10));
        writer.Dispose();

        writer.Add(Line("late"));

        Assert.Equal("late\n", output.Text);
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
        var writer = new LogLineWriter(output, TimeSpan.Zero);
        byte[] line = Line(new string('x', 1023)); // 1 KiB
        int lines = 3 * LogLineWriter.MaxPendingBytes / line.Length;

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

        Assert.Equal(lines * line.Length, output.Length);
    }

    [Fact]
    public void Add_OutputBroken_CallersNeverSeeTheError()
    {
        var output = new RecordingStream { Fail = true };
        var writer = new LogLineWriter(output, TimeSpan.Zero);

        for (int i = 0; i < 1000; i++)
        {
            writer.Add(Line($"line {i}"));
        }
        writer.Dispose();
        writer.Add(Line("late"));

        Assert.Equal("", output.Text);
    }
}
