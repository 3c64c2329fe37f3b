namespace Zeusd.Devices;

/// <summary>The results of one fan-out, in the order of the ids, or the devices that failed.</summary>
public sealed class FanOutResult<TResult>(int[] ids, TResult[] results, List<DeviceError>? errors)
{
    public int[] Ids => ids;
    public TResult[] Results => results;

    /// <summary>The failed devices, in id order; null when every device succeeded.</summary>
    public IReadOnlyList<DeviceError>? Errors => errors;

    public bool Failed => errors is not null;
}
