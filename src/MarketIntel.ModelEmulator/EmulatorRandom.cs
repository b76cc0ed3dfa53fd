using Microsoft.Extensions.Options;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// The one seeded random sequence of the emulator, safe to share between requests. A run with the same seed and the same
/// requests in the same order makes the same choices, while two consecutive attempts of one request differ, so a retry
/// can succeed.
/// </summary>
public sealed class EmulatorRandom(IOptions<EmulatorOptions> options)
{
    private readonly Random _random = new(options.Value.Seed);
    private readonly Lock _lock = new();

    public double NextDouble()
    {
        lock (_lock)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>A private generator for one request's content, seeded from the shared sequence.</summary>
    public Random Fork()
    {
        lock (_lock)
        {
            return new Random(_random.Next());
        }
    }
}
