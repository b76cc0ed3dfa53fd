namespace MarketIntel.ModelEmulator;

/// <summary>
/// A public type of the emulator's assembly for <c>WebApplicationFactory&lt;EmulatorEntryPoint&gt;</c> in test projects
/// that also see another application's <c>Program</c> (the global <c>Program</c> name is then ambiguous).
/// </summary>
public sealed class EmulatorEntryPoint
{
    private EmulatorEntryPoint()
    {
    }
}
