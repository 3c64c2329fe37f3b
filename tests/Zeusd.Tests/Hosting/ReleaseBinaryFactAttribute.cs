namespace Zeusd.Tests.Hosting;

/// <summary>
/// A test of the release build (packaging/publish.sh). A NativeAOT publish takes minutes on a small machine, so these
/// run only when the variable (<c>ZEUSD_RELEASE_BIN</c> by default, <c>ZEUSD_RELEASE_BIN_ARM64</c> for the arm64
/// binary) names the binary to test, or is <c>publish</c> to build it once for the run. <c>.ci/run</c> sets both.
/// </summary>
public sealed class ReleaseBinaryFactAttribute : FactAttribute
{
    public ReleaseBinaryFactAttribute(string variable = ReleaseBinaryFixture.Variable)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            Skip = $"set {variable}=<path to a packaging/publish.sh build> or =publish to test the release binary";
        }
    }
}
