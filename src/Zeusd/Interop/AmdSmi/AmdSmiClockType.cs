namespace Zeusd.Interop.AmdSmi;

/// <summary>The two <c>amdsmi_clk_type_t</c> values zeusd uses.</summary>
internal enum AmdSmiClockType : uint
{
    /// <summary><c>AMDSMI_CLK_TYPE_SYS</c> (= GFX).</summary>
    Graphics = 0,
    /// <summary><c>AMDSMI_CLK_TYPE_MEM</c>.</summary>
    Memory = 4,
}
