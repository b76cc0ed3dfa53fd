namespace MarketIntel.ModelEmulator;

/// <summary>
/// How a realistic answer strays from the request's instructions (the <see cref="ModelBehaviour.Realistic"/> settings of
/// a profile). An answer written without one follows the instructions exactly.
/// </summary>
internal sealed record Realism(double LongFormWordFraction, int ShortFormWords, double ListOffByOneRate, double FixedValueRate, double InstructionMissRate)
{
    public static Realism From(ModelProfile profile) =>
        new(profile.LongFormWordFraction, profile.ShortFormWords, profile.ListOffByOneRate, profile.FixedValueRate, profile.InstructionMissRate);

    /// <summary>
    /// The share of <paramref name="wordsAsked"/> a model writes: close to all of it for a short ask, falling towards
    /// <see cref="LongFormWordFraction"/> as the ask grows well past <see cref="ShortFormWords"/> (5,500 asked, ~0.51).
    /// </summary>
    public double WordFraction(int wordsAsked) =>
        LongFormWordFraction + (1 - LongFormWordFraction) * Math.Exp(-(double)wordsAsked / ShortFormWords);
}
