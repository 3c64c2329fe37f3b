namespace Zeusd.Bench;

/// <summary>CPU time and memory of a process, read from /proc (Linux).</summary>
public readonly record struct ProcessStats(double CpuSeconds, long RssKb, long HighWaterKb)
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ is 100 on every Linux ABI .NET runs on.

    public static ProcessStats Of(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double cpu = (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:"))
            {
                rss = ParseKb(line);
            }
            else if (line.StartsWith("VmHWM:"))
            {
                hwm = ParseKb(line);
            }
        }
        return new ProcessStats(cpu, rss, hwm);
    }

    /// <summary>CPU seconds used by every process on the machine (for a noise figure).</summary>
    public static double MachineBusySeconds()
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // user nice system idle iowait irq softirq steal
        long busy = long.Parse(parts[1]) + long.Parse(parts[2]) + long.Parse(parts[3]) + long.Parse(parts[6]) + long.Parse(parts[7]);
        return busy / TicksPerSecond;
    }

    private static long ParseKb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
