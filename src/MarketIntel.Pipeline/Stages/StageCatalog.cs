using MarketIntel.Pipeline.Stages.MarketAnalysis;

namespace MarketIntel.Pipeline.Stages;

/// <summary>All stages of the pipeline, by number.</summary>
public static class StageCatalog
{
    public const int FirstOfferStage = 7;

    private static readonly IReadOnlyDictionary<int, IStage> Stages = new IStage[]
    {
        new MarketAnalysisStage(),
    }.ToDictionary(s => s.Number);

    public static IEnumerable<IStage> All => Stages.Values.OrderBy(s => s.Number);

    public static bool Exists(int number) => Stages.ContainsKey(number);

    public static IStage Get(int number) =>
        Stages.TryGetValue(number, out var stage)
            ? stage
            : throw new ArgumentOutOfRangeException(nameof(number), number, "There is no such stage.");
}
