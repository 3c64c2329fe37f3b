namespace Zeusd.Policy;

/// <summary>An inclusive range of a control value (milliwatts or MHz) that a grant allows.</summary>
public readonly record struct ValueRange(uint Min, uint Max)
{
    public bool Contains(uint value) => value >= Min && value <= Max;

    public override string ToString() => $"{Min}..{Max}";
}
