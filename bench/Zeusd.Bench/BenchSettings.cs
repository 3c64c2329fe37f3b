namespace Zeusd.Bench;

public sealed record BenchSettings
{
    public required string Daemon { get; init; }
    public required string SharedBench { get; init; }
    public double Duration { get; init; } = 4;
    public double Warmup { get; init; } = 1;
    public int Repeats { get; init; } = 3;
    public int[] Connections { get; init; } = [1, 16, 64];
    public string[] Transports { get; init; } = ["uds", "tcp"];
    public int Gpus { get; init; } = 2;
    public int Startups { get; init; } = 5;
    public int SseStreams { get; init; }
    public double SseSeconds { get; init; } = 60;
    public double SoakMinutes { get; init; }
    public string LogLevel { get; init; } = "info";
}
