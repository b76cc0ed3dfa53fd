using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Pipeline.Evaluation;

/// <summary>What to evaluate; written once when the evaluation is queued.</summary>
public sealed record EvaluationRequest
{
    public const int MinTrials = 1;
    public const int MaxTrials = 20;

    public required string Id { get; init; }
    public required EvaluationKind Kind { get; init; }
    public int? Phase { get; init; }

    /// <summary>Times every sample runs through every stage.</summary>
    public required int Trials { get; init; }

    /// <summary>Sample ids (file names without extension); empty = the whole suite.</summary>
    public IReadOnlyList<string> Samples { get; init; } = [];

    /// <summary>The proposed routing; null = the active routing's stable models (resolved when the run starts).</summary>
    public RoutingDocument? Routing { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The routings an evaluation runs on.</summary>
public static class EvaluationRouting
{
    /// <summary>The baseline: every route on its stable model, without candidate share or shadow.</summary>
    public static RoutingDocument StableOnly(RoutingDocument active) => active with
    {
        Stages = active.Stages.ToDictionary(p => p.Key, p => p.Value with { Candidate = null, CandidateShare = 0, Shadow = null }),
    };

    /// <summary>A proposed document as the stage runner sees it, less shadows: a shadow's answer is never served, so it is not measured.</summary>
    public static RoutingDocument WithoutShadows(RoutingDocument proposed) => proposed with
    {
        Stages = proposed.Stages.ToDictionary(p => p.Key, p => p.Value with { Shadow = null }),
    };
}
