using System.Globalization;
using System.Reflection;
using System.Text;
using Zeusd.Api;
using Zeusd.Devices.Cpu;
using Zeusd.Devices.Gpu;
using Zeusd.Streaming;

namespace Zeusd.Metrics;

/// <summary>
/// <c>GET /metrics</c> on the metrics listener: the node's devices (read for this scrape, shared with concurrent
/// scrapes), the API's request and write counters, stream subscribers and the process. GPU series exist when gpu-read
/// is enabled, CPU series when cpu-read is, write counters when gpu-control is.
/// </summary>
public sealed class MetricsEndpoint(
    GpuFleet gpus, NodeScrape scrape, bool gpuRead, bool cpuRead,
    HttpRequestMetrics requests, GpuWriteMetrics? writes, StreamRoutes streams, ProcessMetrics process)
{
    public const string Path = "/metrics";

    private static readonly string Version = typeof(MetricsEndpoint).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public async Task Handle(HttpContext context)
    {
        var response = context.Response;
        if (!string.Equals(context.Request.Path.Value, Path, StringComparison.Ordinal))
        {
            await Responses.Empty(response, StatusCodes.Status404NotFound);
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            response.Headers.Allow = "GET";
            await Responses.Empty(response, StatusCodes.Status405MethodNotAllowed);
            return;
        }
        var format = ExpositionFormats.Negotiate(context.Request.Headers.Accept.ToString());
        var readings = await scrape.ReadAsync().ConfigureAwait(false);
        byte[] body = Encoding.UTF8.GetBytes(Render(format, readings));
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.ContentType();
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The exposition of one scrape.</summary>
    public string Render(ExpositionFormat format, NodeReadings readings)
    {
        var writer = new ExpositionWriter(format);
        writer.Family("zeusd_build_info", MetricType.Info, "Always 1; the version of the zeusd serving.");
        writer.Sample("zeusd_build_info", [("version", Version)], 1);
        if (gpuRead)
        {
            WriteGpus(writer, readings.Gpus);
        }
        if (cpuRead)
        {
            WriteCpus(writer, readings.Cpus);
        }
        requests.Write(writer);
        writer.Family("zeusd_stream_subscribers", MetricType.Gauge, "Open power streams, by device kind.");
        if (gpuRead)
        {
            writer.Sample("zeusd_stream_subscribers", [("device", "gpu")], streams.Subscribers(DeviceKind.Gpu));
        }
        if (cpuRead)
        {
            writer.Sample("zeusd_stream_subscribers", [("device", "cpu")], streams.Subscribers(DeviceKind.Cpu));
        }
        writes?.Write(writer);
        process.Write(writer);
        return writer.Finish();
    }

    private void WriteGpus(ExpositionWriter writer, GpuReading?[] readings)
    {
        writer.Family("zeusd_gpu_up", MetricType.Gauge, "1 when this scrape read the GPU within 0.5 s, else 0 (and no other series of it).");
        for (int i = 0; i < readings.Length; i++)
        {
            writer.Sample("zeusd_gpu_up", [("gpu", Id(i))], readings[i] is null ? 0 : 1);
        }
        writer.Family("zeusd_gpu_info", MetricType.Info, "Always 1; the GPU's name and PCI address.");
        for (int i = 0; i < readings.Length; i++)
        {
            if (readings[i] is not null)
            {
                writer.Sample("zeusd_gpu_info", [("gpu", Id(i)), ("name", gpus.Infos[i].Name), ("pci_address", gpus.Infos[i].PciAddress)], 1);
            }
        }
        Gpu(writer, readings, "zeusd_gpu_power_watts", MetricType.Gauge, "Instantaneous board power in watts.", r => r.PowerMw / 1e3);
        Gpu(writer, readings, "zeusd_gpu_energy_joules_total", MetricType.Counter, "Energy since the driver was loaded in joules (GPUs with an energy counter).", r => r.EnergyMj / 1e3);
        Gpu(writer, readings, "zeusd_gpu_power_limit_watts", MetricType.Gauge, "Power management limit in watts.", r => r.PowerLimitMw / 1e3);
        Gpu(writer, readings, "zeusd_gpu_power_limit_min_watts", MetricType.Gauge, "Lowest power limit the GPU accepts in watts.", r => r.Constraints?.MinMilliwatts / 1e3);
        Gpu(writer, readings, "zeusd_gpu_power_limit_max_watts", MetricType.Gauge, "Highest power limit the GPU accepts in watts.", r => r.Constraints?.MaxMilliwatts / 1e3);
        Gpu(writer, readings, "zeusd_gpu_persistence_mode", MetricType.Gauge, "1 when persistence mode is on (where the backend has it).", r => r.PersistenceMode is { } on ? (on ? 1 : 0) : null);
    }

    private static void Gpu(ExpositionWriter writer, GpuReading?[] readings, string name, MetricType type, string help, Func<GpuReading, double?> value)
    {
        writer.Family(name, type, help);
        for (int i = 0; i < readings.Length; i++)
        {
            if (readings[i] is { } reading && value(reading) is { } v)
            {
                writer.Sample(name, [("gpu", Id(i))], v);
            }
        }
    }

    private static void WriteCpus(ExpositionWriter writer, CpuEnergy?[] readings)
    {
        writer.Family("zeusd_cpu_up", MetricType.Gauge, "1 when this scrape read the CPU package within 0.5 s, else 0 (and no other series of it).");
        for (int i = 0; i < readings.Length; i++)
        {
            writer.Sample("zeusd_cpu_up", [("cpu", Id(i))], readings[i] is null ? 0 : 1);
        }
        writer.Family("zeusd_cpu_energy_joules_total", MetricType.Counter, "RAPL energy in joules, by zone, compensated for counter wraparound.");
        for (int i = 0; i < readings.Length; i++)
        {
            if (readings[i] is { } energy)
            {
                if (energy.CpuUj is { } package)
                {
                    writer.Sample("zeusd_cpu_energy_joules_total", [("cpu", Id(i)), ("zone", "package")], package / 1e6);
                }
                if (energy.DramUj is { } dram)
                {
                    writer.Sample("zeusd_cpu_energy_joules_total", [("cpu", Id(i)), ("zone", "dram")], dram / 1e6);
                }
            }
        }
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
