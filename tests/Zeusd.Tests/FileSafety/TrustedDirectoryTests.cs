using Zeusd.FileSafety;
using Zeusd.Interop.Libc;

namespace Zeusd.Tests.FileSafety;

public sealed class TrustedDirectoryTests
{
    private static FileStatus Directory(string octal, uint owner) =>
        new((ushort)(Libc.FileTypeDirectory | Convert.ToInt32(octal, 8)), owner, 0, Inode: 1, DeviceMajor: 0, DeviceMinor: 1);

    [Theory]
    [InlineData("755", 0u)]
    [InlineData("700", 0u)]
    [InlineData("1777", 0u)]   // /tmp: others may add entries but not remove or rename zeusd's
    [InlineData("1770", 0u)]
    [InlineData("755", 65534u)] // zeusd's own user
    [InlineData("1777", 65534u)]
    public void WhyNotTrusted_OwnedByRootOrZeusdAndNotWritableByOthersUnlessSticky_IsTrusted(string mode, uint owner)
    {
        Assert.Null(TrustedDirectory.WhyNotTrusted(Directory(mode, owner), "/run/zeusd", "the socket /run/zeusd/zeusd.sock", effectiveUid: 65534));
    }

    [Theory]
    [InlineData("777")]
    [InlineData("775")]
    [InlineData("757")]
    public void WhyNotTrusted_WritableByGroupOrOthersWithoutStickyBit_SaysSoAndHowToFix(string mode)
    {
        string? why = TrustedDirectory.WhyNotTrusted(Directory(mode, 0), "/srv/run", "the socket /srv/run/z.sock", effectiveUid: 0);

        Assert.Equal($"The directory /srv/run that holds the socket /srv/run/z.sock is writable by group or others without the sticky bit " +
            $"(mode 0{mode}); they could replace the socket /srv/run/z.sock. Restrict it with: chmod go-w '/srv/run'", why);
    }

    [Fact]
    public void WhyNotTrusted_OwnedByAnotherUser_NamesTheOwnerEvenIfTheModeIsStrict()
    {
        string? why = TrustedDirectory.WhyNotTrusted(Directory("700", 1000), "/home/alice/run", "the signing key k", effectiveUid: 0);

        Assert.StartsWith("The directory /home/alice/run that holds the signing key k is owned by uid 1000, not by root or zeusd's user (uid 0)", why);
    }
}
