using System.Globalization;
using System.Reflection;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.TestDoubles;

/// <summary>
/// The fake libamd_smi (tests/native/fakeamdsmi) as one daemon sees it: a temp directory holding a copy named
/// <c>libamd_smi.so.NN</c>, its configuration file (dynamic keys switchable while the daemon runs), its call log and
/// its statistics, and the environment that makes the daemon's loader find it.
/// </summary>
public sealed class FakeAmdSmi : IDisposable
{
    public const string GetPowerInfo = "amdsmi_get_power_info";
    public const string GetEnergyCount = "amdsmi_get_energy_count";
    public const string GetClockInfo = "amdsmi_get_clock_info";
    public const string SetClockLimit = "amdsmi_set_gpu_clk_limit";
    public const string SetPerfLevel = "amdsmi_set_gpu_perf_level";
    public const string SetPowerCap = "amdsmi_set_power_cap";
    public const string GetPowerCapInfo = "amdsmi_get_power_cap_info";
    public const string GetBdf = "amdsmi_get_gpu_device_bdf";
    public const string GetAsicInfo = "amdsmi_get_gpu_asic_info";
    public const string Init = "amdsmi_init";

    private readonly Dictionary<string, string> _config = [];
    private readonly Lock _lock = new();

    /// <param name="abi">Which file name the copy gets (24, 25 or 26); the fake emulates that ABI.</param>
    /// <param name="config">Initial configuration (static keys must be here: they are read on the first call).</param>
    /// <param name="rocm62">Use the build without <c>amdsmi_set_gpu_clk_limit</c>, as ROCm 6.2 ships.</param>
    public FakeAmdSmi(int abi = 26, IReadOnlyDictionary<string, string>? config = null, bool rocm62 = false)
    {
        Directory = DaemonProcess.NewTempDirectory();
        LibraryDirectory = Path.Combine(Directory, "lib");
        System.IO.Directory.CreateDirectory(LibraryDirectory);
        Install(LibraryDirectory, abi, rocm62);
        foreach (var (key, value) in config ?? new Dictionary<string, string>())
        {
            _config[key] = value;
        }
        WriteConfig();
    }

    /// <summary>Where the test build put the compiled fake.</summary>
    public static string BuildDirectory
    {
        get
        {
            string dir = typeof(FakeAmdSmi).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "FakeAmdSmiDir").Value!;
            return Path.GetFullPath(dir);
        }
    }

    /// <summary>Copies the fake into <paramref name="directory"/> as <c>libamd_smi.so.{abi}</c> (a copy, so dladdr sees that name).</summary>
    public static string Install(string directory, int abi, bool rocm62 = false)
    {
        string source = Path.Combine(BuildDirectory, rocm62 ? "libamd_smi_fake_rocm62.so" : "libamd_smi_fake.so");
        string target = Path.Combine(directory, $"libamd_smi.so.{abi}");
        File.Copy(source, target, overwrite: true);
        return target;
    }

    public string Directory { get; }

    /// <summary>The directory holding <c>libamd_smi.so.NN</c>.</summary>
    public string LibraryDirectory { get; }

    public string ConfigPath => Path.Combine(Directory, "fake.conf");

    public string LogPath => Path.Combine(Directory, "calls.log");

    public string StatsPath => Path.Combine(Directory, "stats");

    /// <summary>
    /// Environment for the daemon: <c>AMDSMI_LIB_DIR</c> at the copy, the fake's files, and an empty loader path so
    /// that no NVML is found.
    /// </summary>
    public Dictionary<string, string> Environment => new()
    {
        ["AMDSMI_LIB_DIR"] = LibraryDirectory,
        ["FAKE_AMDSMI_CONFIG"] = ConfigPath,
        ["FAKE_AMDSMI_LOG"] = LogPath,
        ["FAKE_AMDSMI_STATS"] = StatsPath,
        ["LD_LIBRARY_PATH"] = Path.Combine(Directory, "no-nvml"),
    };

    /// <summary>The fake's files only, for tests that point the daemon at the library themselves.</summary>
    public Dictionary<string, string> FakeEnvironment => new()
    {
        ["FAKE_AMDSMI_CONFIG"] = ConfigPath,
        ["FAKE_AMDSMI_LOG"] = LogPath,
        ["FAKE_AMDSMI_STATS"] = StatsPath,
    };

    /// <summary>Sets a configuration key (dynamic keys take effect at the fake's next call).</summary>
    public void Set(string key, string value)
    {
        lock (_lock)
        {
            _config[key] = value;
            WriteConfig();
        }
    }

    public void Remove(string key)
    {
        lock (_lock)
        {
            _config.Remove(key);
            WriteConfig();
        }
    }

    // Written to a temporary name and renamed: the fake never reads a half-written file, and the new inode is a change.
    private void WriteConfig()
    {
        string temporary = ConfigPath + ".tmp";
        File.WriteAllLines(temporary, _config.Select(kv => $"{kv.Key}={kv.Value}"));
        File.Move(temporary, ConfigPath, overwrite: true);
    }

    /// <summary>Every call the fake finished so far, in order.</summary>
    public IReadOnlyList<AmdSmiCall> Calls()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var calls = new List<AmdSmiCall>();
        while (reader.ReadLine() is { } line)
        {
            if (line.EndsWith(" -> ", StringComparison.Ordinal) || !line.Contains(" -> ", StringComparison.Ordinal))
            {
                continue; // a line still being written
            }
            calls.Add(AmdSmiCall.Parse(line));
        }
        return calls;
    }

    public IReadOnlyList<AmdSmiCall> Calls(string function) => [.. Calls().Where(c => c.Function == function)];

    public long Mark() => Calls() is { Count: > 0 } calls ? calls[^1].Sequence : 0;

    public IReadOnlyList<AmdSmiCall> CallsAfter(long mark, string? function = null) =>
        [.. Calls().Where(c => c.Sequence > mark && (function is null || c.Function == function))];

    /// <summary>A statistic of the fake (<c>calls.&lt;fn&gt;</c>, <c>init_calls</c>, <c>max_in_flight</c>, <c>perf.0</c>, …).</summary>
    public long Stat(string name)
    {
        foreach (string line in ReadStats())
        {
            int space = line.IndexOf(' ');
            if (space > 0 && line[..space] == name)
            {
                return long.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private string[] ReadStats()
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return File.Exists(StatsPath) ? File.ReadAllLines(StatsPath) : [];
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds (the daemon runs independently).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }
            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One line of the fake's log: <c>&lt;seq&gt; &lt;tid&gt; &lt;t_start_ns&gt; &lt;t_end_ns&gt; &lt;fn&gt; gpu=&lt;i|-&gt; args… -&gt; &lt;status&gt;</c>.</summary>
public sealed record AmdSmiCall(long Sequence, long Thread, long StartNs, long EndNs, string Function, int? Gpu,
    IReadOnlyDictionary<string, string> Args, uint Status, string Line)
{
    public static AmdSmiCall Parse(string line)
    {
        int arrow = line.LastIndexOf(" -> ", StringComparison.Ordinal);
        var parts = line[..arrow].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = new Dictionary<string, string>();
        foreach (var part in parts.Skip(5))
        {
            int eq = part.IndexOf('=');
            if (eq > 0)
            {
                args[part[..eq]] = part[(eq + 1)..];
            }
        }
        int? gpu = args.TryGetValue("gpu", out var text) && int.TryParse(text, out int index) ? index : null;
        return new AmdSmiCall(long.Parse(parts[0]), long.Parse(parts[1]), long.Parse(parts[2]), long.Parse(parts[3]), parts[4],
            gpu, args, uint.Parse(line[(arrow + 4)..], CultureInfo.InvariantCulture), line);
    }

    public string this[string key] => Args[key];

    /// <summary>Whether the two calls were inside the library at the same time.</summary>
    public bool Overlaps(AmdSmiCall other) => StartNs < other.EndNs && other.StartNs < EndNs;

    public override string ToString() => Line;
}
