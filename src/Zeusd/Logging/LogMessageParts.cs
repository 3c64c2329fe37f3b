namespace Zeusd.Logging;

/// <summary>
/// A message queued by value: the objects and numbers its <see cref="IUtf8LogFormat"/> makes the text from, later, on
/// the writer's thread; what each slot means is the format's business. A message logged on every request (the policy's
/// audit line) is then no object of its own. As one, it waited in the writer's queue for up to the coalescing delay,
/// and young objects referenced from the queue's old array made every gen-0 collection scan that array's cards and
/// promote what it found (BENCHMARKS.md, issue 17).
/// </summary>
public readonly record struct LogMessageParts(object? Object1, object? Object2, object? Object3, object? Object4,
    ulong Number1, ulong Number2, ulong Number3);
