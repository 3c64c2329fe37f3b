namespace Zeusd.Interop.AmdSmi;

/// <summary><c>amdsmi_clk_limit_type_t</c>.</summary>
internal enum AmdSmiClockLimit : uint
{
    Min = 0,
    Max = 1,
}
