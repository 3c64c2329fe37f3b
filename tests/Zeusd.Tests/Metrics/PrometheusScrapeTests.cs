using Zeusd.Tests.TestDoubles;

namespace Zeusd.Tests.Metrics;

/// <summary>A real Prometheus server scraping a daemon on the fake NVML every second.</summary>
public sealed class PrometheusScrapeTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);

    [PrometheusFact]
    public async Task Prometheus_ScrapingEverySecond_SeesPowerEnergyRateAndAHungGpuDown()
    {
        using var deadline = new CancellationTokenSource(Budget);
        var daemon = new MetricsDaemonFixture();
        await daemon.InitializeAsync();
        try
        {
            daemon.Nvml.SetPower(0, 150_000);
            await using var prometheus = await PrometheusServer.StartAsync(daemon.MetricsAddress);

            // The fixed reading, exactly as the fake reports it.
            await WaitForAsync(() => prometheus.ScalarAsync("zeusd_gpu_power_watts{gpu=\"0\"}"), v => v == 150, deadline.Token, prometheus);

            // Energy's rate is the power the fake integrates (GPU 1 draws about 71 W, varying a few percent).
            // (Once the series is older than the window: rate() divides by the whole window.)
            await WaitForAsync(() => prometheus.ScalarAsync("count_over_time(zeusd_gpu_energy_joules_total{gpu=\"1\"}[6s])"), v => v >= 6, deadline.Token, prometheus);
            double rate = (await prometheus.ScalarAsync("rate(zeusd_gpu_energy_joules_total{gpu=\"1\"}[5s])"))!.Value;
            double power = (await prometheus.ScalarAsync("avg_over_time(zeusd_gpu_power_watts{gpu=\"1\"}[5s])"))!.Value;
            Assert.InRange(rate, power * 0.85, power * 1.15);

            daemon.Nvml.SetFault(2, FakeNvml.GetFieldValues, "block");
            try
            {
                await WaitForAsync(() => prometheus.ScalarAsync("zeusd_gpu_up{gpu=\"2\"}"), v => v == 0, deadline.Token, prometheus);
                // The hung GPU's other series are gone (stale) while the others keep reporting fresh samples.
                await WaitForAsync(() => prometheus.ScalarAsync("count(zeusd_gpu_power_watts{gpu=\"2\"}) or vector(0)"), v => v == 0, deadline.Token, prometheus);
                double age = (await prometheus.ScalarAsync("time() - timestamp(zeusd_gpu_power_watts{gpu=\"0\"})"))!.Value;
                Assert.InRange(age, 0, 3);
                Assert.Equal(1, await prometheus.ScalarAsync("zeusd_gpu_up{gpu=\"0\"}"));
                Assert.Equal(150, await prometheus.ScalarAsync("zeusd_gpu_power_watts{gpu=\"0\"}"));
                Assert.Equal(1, await prometheus.ScalarAsync("up{job=\"zeusd\"}"));
            }
            finally
            {
                daemon.Nvml.ClearFault(2, FakeNvml.GetFieldValues);
            }
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    private static async Task<double> WaitForAsync(Func<Task<double?>> query, Func<double, bool> done, CancellationToken deadline, PrometheusServer prometheus)
    {
        double? last = null;
        while (!deadline.IsCancellationRequested)
        {
            last = await query();
            if (last is { } value && done(value))
            {
                return value;
            }
            try
            {
                await Task.Delay(250, deadline);
            }
            catch (OperationCanceledException)
            {
            }
        }
        throw new TimeoutException($"Prometheus did not show the expected value within {Budget} (last: {last?.ToString() ?? "no series"}):\n{prometheus.Output}");
    }
}
