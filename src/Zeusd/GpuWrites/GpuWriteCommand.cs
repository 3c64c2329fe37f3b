namespace Zeusd.GpuWrites;

/// <summary>
/// One write request as every front end (query routes, legacy JSON routes, restores) hands it to
/// <see cref="GpuWritePipeline"/>.
/// </summary>
/// <param name="GpuIds">Existing GPU ids, sorted and distinct.</param>
/// <param name="Block">Wait for every GPU (<c>true</c>) or answer once the commands are queued.</param>
/// <param name="Route">The path the request came in on, for the audit line.</param>
public sealed record GpuWriteCommand(GpuWriteOperation Operation, int[] GpuIds, GpuWriteValues Values, bool Block, string Route);
