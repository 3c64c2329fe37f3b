namespace Zeusd.Restore;

/// <summary>
/// Why zeusd is putting a setting back, attached to its restore command: the setting, and for a client's exit the
/// owner it expects (if someone else changed the setting meanwhile, the change is theirs now and stays).
/// </summary>
public sealed record RestoreIntent(RestorableSetting Setting, SettingOwner? ExpectedOwner, string Why);
