using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Zeusd.Devices.Gpu.AmdSmi;

/// <summary>
/// The startup check of each AMD GPU's energy counter, which some GPUs and library versions report in the wrong unit
/// (ROCm/amdsmi#38): over half a second, the counter must grow by within a factor of ten (exclusive) of what the
/// instantaneous power predicts. The original daemon checks the GPUs one after another; here all GPUs are read
/// concurrently and share one half-second wait, so startup does not grow with the GPU count.
/// </summary>
internal static partial class AmdSmiEnergyValidation
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    private sealed class Sample
    {
        public uint PowerMw;
        public ulong? Before;
        public ulong? After;
        public DeviceException? Error;
    }

    /// <summary>Sets <see cref="AmdSmiGpu.CumulativeEnergyAvailable"/> of every GPU and returns the flags by id.</summary>
    /// <exception cref="DeviceException">A power or energy read failed with anything but NOT_SUPPORTED.</exception>
    public static bool[] Run(IReadOnlyList<AmdSmiGpu> gpus, ILogger logger)
    {
        if (gpus.Count == 0)
        {
            return [];
        }
        Log.Starting(logger);
        var samples = gpus.Select(_ => new Sample()).ToArray();
        Parallel.For(0, gpus.Count, i =>
        {
            var sample = samples[i];
            try
            {
                sample.PowerMw = PowerOrZero(gpus[i]);
                sample.Before = EnergyOrNone(gpus[i], logger);
            }
            catch (DeviceException ex)
            {
                sample.Error = ex;
            }
        });
        ThrowFirstError(samples);
        Thread.Sleep(Window);
        Parallel.For(0, gpus.Count, i =>
        {
            var sample = samples[i];
            if (sample.Before is null)
            {
                return;
            }
            try
            {
                sample.After = EnergyOrNone(gpus[i], logger);
            }
            catch (DeviceException ex)
            {
                sample.Error = ex;
            }
        });
        ThrowFirstError(samples);

        var flags = new bool[gpus.Count];
        for (int i = 0; i < gpus.Count; i++)
        {
            if (samples[i] is { Before: { } before, After: { } after } sample)
            {
                flags[i] = Judge(gpus[i].Index, sample.PowerMw, before, after, logger);
            }
            gpus[i].CumulativeEnergyAvailable = flags[i];
        }
        return flags;
    }

    /// <summary>The verdict for one GPU: expected mJ = P (mW) × 0.5 s; pass iff 0.1 &lt; measured / expected &lt; 10.</summary>
    internal static bool Judge(int index, uint powerMw, ulong before, ulong after, ILogger logger)
    {
        double expected = powerMw * Window.TotalSeconds;
        double measured = (double)after - before;
        if (expected < 0.001)
        {
            Log.CannotValidate(logger, index);
            return false;
        }
        double ratio = measured / expected;
        string e = expected.ToString("F3", CultureInfo.InvariantCulture);
        string m = measured.ToString("F3", CultureInfo.InvariantCulture);
        if (ratio > 0.1 && ratio < 10)
        {
            Log.Passed(logger, index, e, m);
            return true;
        }
        Log.Failed(logger, index, e, m);
        return false;
    }

    private static uint PowerOrZero(AmdSmiGpu gpu)
    {
        try
        {
            return gpu.GetInstantPower();
        }
        catch (DeviceException ex) when (ex.Kind == DeviceErrorKind.NotSupported)
        {
            return 0;
        }
    }

    private static ulong? EnergyOrNone(AmdSmiGpu gpu, ILogger logger)
    {
        try
        {
            return gpu.ReadEnergyMillijoules();
        }
        catch (DeviceException ex) when (ex.Kind == DeviceErrorKind.NotSupported)
        {
            Log.Unsupported(logger, gpu.Index);
            return null;
        }
    }

    /// <summary>The lowest GPU id's error, so the same failure wins however the reads interleaved.</summary>
    private static void ThrowFirstError(Sample[] samples)
    {
        if (samples.FirstOrDefault(s => s.Error is not null) is { Error: { } error })
        {
            throw error;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Starting AMD energy counter validation; this takes 0.5 seconds")]
        public static partial void Starting(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "GPU {Index} cumulative energy counter is not supported")]
        public static partial void Unsupported(ILogger logger, int index);

        [LoggerMessage(3, LogLevel.Information, "GPU {Index} power reading is zero or unsupported, so the cumulative energy counter cannot be validated; energy is disabled for this GPU; clients can poll power and integrate instead")]
        public static partial void CannotValidate(ILogger logger, int index);

        [LoggerMessage(4, LogLevel.Information, "GPU {Index} cumulative energy counter passed validation: expected {Expected} mJ, measured {Measured} mJ")]
        public static partial void Passed(ILogger logger, int index, string expected, string measured);

        [LoggerMessage(5, LogLevel.Information, "GPU {Index} cumulative energy counter failed validation: expected {Expected} mJ, measured {Measured} mJ; see https://github.com/ROCm/amdsmi/issues/38; clients can poll power and integrate instead")]
        public static partial void Failed(ILogger logger, int index, string expected, string measured);
    }
}
