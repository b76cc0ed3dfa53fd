using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Evaluation;

/// <summary>
/// The bar a candidate must clear per stage (configuration section <c>Evaluation:Gates</c>; docs/domain.md §7.2 success goals).
/// </summary>
public sealed class EvaluationGates
{
    public const string SectionName = "Evaluation:Gates";

    /// <summary>Mean quality score of the candidate's accepted outputs must be at least this.</summary>
    [Range(0, 100)]
    public double MinQuality { get; init; } = 95;

    /// <summary>The candidate's error rate must be below this fraction (0.01 = 1 %).</summary>
    [Range(0.0, 1.0)]
    public double MaxErrorRate { get; init; } = 0.01;

    /// <summary>Placeholders allowed in the candidate's answers, over all runs of a stage.</summary>
    [Range(0, int.MaxValue)]
    public int MaxPlaceholders { get; init; }

    /// <summary>Cost per run may exceed the baseline's by at most this many percent.</summary>
    [Range(0.0, 1000.0)]
    public double CostMarginPercent { get; init; } = 10;

    /// <summary>When set, mean latency may exceed the baseline's by at most this many percent; otherwise only reported.</summary>
    [Range(0.0, 1000.0)]
    public double? LatencyMarginPercent { get; init; }

    /// <summary>Fewer runs of a stage (in the candidate or the baseline) than this give no verdict: inconclusive.</summary>
    [Range(1, 100_000)]
    public int MinRunsPerStage { get; init; } = 3;
}
