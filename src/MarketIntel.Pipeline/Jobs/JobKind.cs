using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Pipeline.Jobs;

/// <summary>What a job produces: research (stages 1-6), offer (7-13 from a finished research job) or both.</summary>
public enum JobKind
{
    Research,
    Offer,
    Full,
}

public static class JobKinds
{
    /// <summary>The stages a job of this kind runs; stages not yet implemented are left out.</summary>
    public static IReadOnlyList<int> StagesOf(JobKind kind) => kind switch
    {
        JobKind.Research => Range(1, 6),
        JobKind.Offer => Range(StageCatalog.FirstOfferStage, 13),
        JobKind.Full => Range(1, 13),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static IReadOnlyList<int> Range(int first, int last) =>
        Enumerable.Range(first, last - first + 1).Where(StageCatalog.Exists).ToList();
}
