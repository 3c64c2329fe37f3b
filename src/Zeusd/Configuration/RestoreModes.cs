namespace Zeusd.Configuration;

/// <summary>The <c>--restore</c> names of <see cref="RestoreMode"/>.</summary>
public static class RestoreModes
{
    public static readonly (string Name, RestoreMode Mode)[] Names =
        [("never", RestoreMode.Never), ("shutdown", RestoreMode.Shutdown), ("client", RestoreMode.Client)];

    public static string WireName(this RestoreMode mode) => Names.First(n => n.Mode == mode).Name;
}
