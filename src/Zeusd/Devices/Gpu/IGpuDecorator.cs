namespace Zeusd.Devices.Gpu;

/// <summary>
/// Wraps a GPU's management handle to change some of its operations (platform rules, command overrides). Decorators
/// are chosen and ordered in one place, the composition root, and applied as each GPU is opened.
/// </summary>
public interface IGpuDecorator
{
    /// <returns><paramref name="inner"/> itself when this decorator does not apply to GPU <paramref name="index"/>.</returns>
    IGpu Decorate(int index, IGpu inner);
}
