using System.Reflection;
using Zeusd.Tests.Integration;

namespace Zeusd.Tests.TestDoubles;

/// <summary>
/// The fake <c>libnvidia-ml.so.1</c> (tests/native/fakenvml) as one daemon sees it: the environment that makes the
/// daemon load it, its control directory (faults and fixed readings, switchable while the daemon runs) and its log of
/// every NVML call received.
/// </summary>
public sealed class FakeNvml : IDisposable
{
    public const string SetPowerLimit = "nvmlDeviceSetPowerManagementLimit";
    public const string GetPowerLimit = "nvmlDeviceGetPowerManagementLimit";
    public const string GetFieldValues = "nvmlDeviceGetFieldValues";
    public const string GetTotalEnergy = "nvmlDeviceGetTotalEnergyConsumption";
    public const string ResetGpuLockedClocks = "nvmlDeviceResetGpuLockedClocks";
    public const string ResetMemoryLockedClocks = "nvmlDeviceResetMemoryLockedClocks";

    private readonly Dictionary<string, string> _environment;

    /// <param name="names">Per-GPU names; the last repeats.</param>
    /// <param name="pci">Per-GPU <c>domain:bus:device</c> in hex.</param>
    /// <param name="noEnergy">GPUs without an energy counter (pre-Volta).</param>
    /// <param name="initFailure">A fault that <c>nvmlInit_v2</c> returns.</param>
    /// <param name="keepState">Keep the boards' settings in the control directory's <c>state</c> file, so a daemon
    /// started again on this fake sees what the previous one left (as real boards keep their settings).</param>
    public FakeNvml(int gpuCount = 2, string[]? names = null, string[]? pci = null, int[]? noEnergy = null, string? initFailure = null,
        bool keepState = false)
    {
        ControlDirectory = DaemonProcess.NewTempDirectory();
        _environment = new Dictionary<string, string>
        {
            ["LD_LIBRARY_PATH"] = LibraryDirectory,
            ["FAKENVML_DIR"] = ControlDirectory,
            ["FAKENVML_GPU_COUNT"] = gpuCount.ToString(),
        };
        if (names is not null)
        {
            _environment["FAKENVML_NAMES"] = string.Join(',', names);
        }
        if (pci is not null)
        {
            _environment["FAKENVML_PCI"] = string.Join(',', pci);
        }
        if (noEnergy is not null)
        {
            _environment["FAKENVML_NO_ENERGY"] = string.Join(',', noEnergy);
        }
        if (initFailure is not null)
        {
            _environment["FAKENVML_INIT_FAIL"] = initFailure;
        }
        if (keepState)
        {
            _environment["FAKENVML_STATE"] = "1";
        }
    }

    /// <summary>Where the test build put <c>libnvidia-ml.so.1</c>.</summary>
    public static string LibraryDirectory
    {
        get
        {
            string dir = typeof(FakeNvml).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "FakeNvmlDir").Value!;
            return Path.GetFullPath(dir);
        }
    }

    public string ControlDirectory { get; }

    /// <summary>Environment for the daemon: the fake on the loader path, plus its configuration.</summary>
    public IDictionary<string, string> Environment => new Dictionary<string, string>(_environment);

    public string LogPath => Path.Combine(ControlDirectory, "calls.log");

    /// <summary>Makes <paramref name="function"/> (or <c>any</c>) fail on GPU <paramref name="gpu"/> with <paramref name="fault"/>.</summary>
    public void SetFault(int gpu, string function, string fault) => WriteControl($"fault.{gpu}.{function}", fault);

    public void SetGlobalFault(string function, string fault) => WriteControl($"fault.global.{function}", fault);

    public void ClearFault(int gpu, string function) => File.Delete(Path.Combine(ControlDirectory, $"fault.{gpu}.{function}"));

    /// <summary>Fixes the instantaneous power reading (mW) and the value type it is reported as.</summary>
    public void SetPower(int gpu, ulong milliwatts, int valueType = 1)
    {
        WriteControl($"power.{gpu}", milliwatts.ToString());
        WriteControl($"valuetype.{gpu}", valueType.ToString());
    }

    public void ClearPower(int gpu)
    {
        File.Delete(Path.Combine(ControlDirectory, $"power.{gpu}"));
        File.Delete(Path.Combine(ControlDirectory, $"valuetype.{gpu}"));
    }

    /// <summary>Makes the power field of GPU <paramref name="gpu"/> carry a per-field error.</summary>
    public void SetFieldFault(int gpu, string fault) => WriteControl($"field.{gpu}", fault);

    public void ClearFieldFault(int gpu) => File.Delete(Path.Combine(ControlDirectory, $"field.{gpu}"));

    public void SetEnergy(int gpu, ulong millijoules) => WriteControl($"energy.{gpu}", millijoules.ToString());

    public void ClearEnergy(int gpu) => File.Delete(Path.Combine(ControlDirectory, $"energy.{gpu}"));

    /// <summary>Every call the fake received so far, in order.</summary>
    public IReadOnlyList<NvmlCall> Calls()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var calls = new List<NvmlCall>();
        while (reader.ReadLine() is { } line)
        {
            calls.Add(NvmlCall.Parse(line));
        }
        return calls;
    }

    /// <summary>The sequence number of the last call so far; pass it to <see cref="CallsAfter"/>.</summary>
    public long Mark() => Calls() is { Count: > 0 } calls ? calls[^1].Sequence : 0;

    public IReadOnlyList<NvmlCall> CallsAfter(long mark) => [.. Calls().Where(c => c.Sequence > mark)];

    /// <summary>Waits until the fake has received a call matching <paramref name="match"/> (the daemon runs independently).</summary>
    public async Task<NvmlCall> WaitForCallAsync(Func<NvmlCall, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Calls().FirstOrDefault(match) is { } call)
            {
                return call;
            }
            await Task.Delay(10);
        }
        throw new TimeoutException("The fake NVML never received the expected call. Calls:\n" + string.Join('\n', Calls()));
    }

    public string StatePath => Path.Combine(ControlDirectory, "state");

    /// <summary>The boards' settings as the fake last wrote them (<c>keepState</c> only); null before any set.</summary>
    public IReadOnlyList<NvmlBoardState>? State() =>
        File.Exists(StatePath) ? [.. File.ReadAllLines(StatePath).Where(l => l.Length > 0).Select(NvmlBoardState.Parse)] : null;

    /// <summary>Waits until GPU <paramref name="gpu"/>'s state matches; fails with the last state after the timeout.</summary>
    public async Task<NvmlBoardState> WaitForStateAsync(int gpu, Func<NvmlBoardState, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = State()?[gpu];
            if (state is not null && match(state))
            {
                return state;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"GPU {gpu} never reached the expected state within {timeout}; last: {state}");
            }
            await Task.Delay(10);
        }
    }

    // Written to a temporary name and renamed, so the fake never reads a half-written file.
    private void WriteControl(string name, string content)
    {
        string path = Path.Combine(ControlDirectory, name);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(ControlDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One line of the fake's call log: <c>&lt;seq&gt; &lt;function&gt; gpu=&lt;i&gt; key=value ...</c>.</summary>
public sealed record NvmlCall(long Sequence, string Function, int? Gpu, IReadOnlyDictionary<string, string> Args, string Line)
{
    public static NvmlCall Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = new Dictionary<string, string>();
        foreach (var part in parts.Skip(2))
        {
            int eq = part.IndexOf('=');
            args[part[..eq]] = part[(eq + 1)..];
        }
        int? gpu = args.TryGetValue("gpu", out var text) && int.TryParse(text, out int index) ? index : null;
        return new NvmlCall(long.Parse(parts[0]), parts[1], gpu, args, line);
    }

    public string this[string key] => Args[key];

    public override string ToString() => Line;
}
