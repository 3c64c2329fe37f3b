namespace Zeusd.Tests.Hosting;

/// <summary>
/// A test of the release build (packaging/publish.sh). Publishing a self-contained single-file ReadyToRun binary
/// takes minutes on a small machine, so these run only when <c>ZEUSD_RELEASE_BIN</c> names the binary to test, or is
/// <c>publish</c> to build it once for the run (<see cref="ReleaseBinaryFixture"/>). <c>.ci/run</c> sets it.
/// </summary>
public sealed class ReleaseBinaryFactAttribute : FactAttribute
{
    public ReleaseBinaryFactAttribute()
    {
        if (string.IsNullOrEmpty(ReleaseBinaryFixture.Setting))
        {
            Skip = $"set {ReleaseBinaryFixture.Variable}=<path to a packaging/publish.sh build> or =publish to test the release binary";
        }
    }
}
