using System.Globalization;

namespace MarketIntel.Pipeline.Evaluation;

public enum Verdict
{
    Pass,
    Fail,
    Inconclusive,
}

/// <summary>The verdict on one stage, with the figures it rests on.</summary>
public sealed record StageComparison
{
    public required int Stage { get; init; }
    public required string Name { get; init; }
    public required Verdict Verdict { get; init; }

    /// <summary>Why: each names the stage, the metric and both values.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Observations that do not decide the verdict (latency change, fallbacks, retries).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public StageMetrics? Baseline { get; init; }
    public StageMetrics? Candidate { get; init; }

    /// <summary>Relative change of mean latency in percent (negative = faster); null without both figures.</summary>
    public double? LatencyChangePercent { get; init; }

    public double? CostChangePercent { get; init; }
}

/// <summary>Baseline against candidate, stage by stage: the answer of <c>eval compare</c> and of the compare endpoint.</summary>
public sealed record EvaluationComparison
{
    public required string BaselineId { get; init; }
    public required string CandidateId { get; init; }
    public int? Phase { get; init; }
    public required Verdict Verdict { get; init; }
    public required int ExitCode { get; init; }
    public required EvaluationGates Gates { get; init; }
    public required IReadOnlyList<StageComparison> Stages { get; init; }
    public EvaluationTotals? BaselineTotals { get; init; }
    public EvaluationTotals? CandidateTotals { get; init; }
}

/// <summary>
/// The pure comparison of two evaluation results against <see cref="EvaluationGates"/>. A stage fails when the
/// candidate breaks a gate with enough runs; it is inconclusive when either side has too few runs to judge (or the
/// baseline lacks the stage, so cost cannot be compared); otherwise it passes. Overall: any fail → fail (exit 1), else any
/// inconclusive → inconclusive (exit 2), else pass (exit 0).
/// </summary>
public static class EvaluationComparer
{
    public static EvaluationComparison Compare(EvaluationResult baseline, EvaluationResult candidate, EvaluationGates gates)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(gates);

        var numbers = baseline.Stages.Select(s => s.Stage).Union(candidate.Stages.Select(s => s.Stage)).Order();
        var stages = numbers.Select(n => CompareStage(n, baseline.Stage(n), candidate.Stage(n), gates)).ToList();
        var verdict = stages.Any(s => s.Verdict == Verdict.Fail) ? Verdict.Fail
            : stages.Count == 0 || stages.Any(s => s.Verdict == Verdict.Inconclusive) ? Verdict.Inconclusive
            : Verdict.Pass;
        return new EvaluationComparison
        {
            BaselineId = baseline.Id,
            CandidateId = candidate.Id,
            Phase = candidate.Phase,
            Verdict = verdict,
            ExitCode = ExitCode(verdict),
            Gates = gates,
            Stages = stages,
            BaselineTotals = baseline.Totals,
            CandidateTotals = candidate.Totals,
        };
    }

    public static int ExitCode(Verdict verdict) => verdict switch
    {
        Verdict.Pass => 0,
        Verdict.Fail => 1,
        _ => 2,
    };

    private static StageComparison CompareStage(int number, StageMetrics? baseline, StageMetrics? candidate, EvaluationGates gates)
    {
        var name = candidate?.Name ?? baseline?.Name ?? "";
        var label = $"Stage {number} ({name})";
        var fails = new List<string>();
        var unknowns = new List<string>();
        var notes = new List<string>();

        double? latencyChange = baseline is { Runs: > 0 } && candidate is { Runs: > 0 }
            ? Change(baseline.LatencyMeanMs, candidate.LatencyMeanMs) : null;
        double? costChange = baseline is { Runs: > 0 } && candidate is { Runs: > 0 }
            ? Change((double)baseline.CostPerRun, (double)candidate.CostPerRun) : null;

        if (candidate is null)
        {
            unknowns.Add($"{label}: the candidate has no measurements for this stage.");
        }
        else if (candidate.Runs < gates.MinRunsPerStage)
        {
            unknowns.Add($"{label}: runs {candidate.Runs} in the candidate (baseline {baseline?.Runs ?? 0}) is below the minimum of {gates.MinRunsPerStage}"
                + (candidate.NotRun > 0 ? $"; {candidate.NotRun} not run because an upstream stage failed." : "."));
        }
        else
        {
            var b = baseline;
            if (candidate.QualityMean is not { } quality)
            {
                fails.Add($"{label}: quality mean has no value in the candidate (no valid output in {candidate.Runs} runs; baseline {Format(b?.QualityMean)}); required ≥ {Num(gates.MinQuality)}.");
            }
            else if (quality < gates.MinQuality)
            {
                fails.Add($"{label}: quality mean {Num(quality)} in the candidate is below {Num(gates.MinQuality)} (baseline {Format(b?.QualityMean)}).");
            }
            // A fallback is a failure of the candidate: the stable model answered in its place.
            var failed = candidate.FailedRuns;
            var failureRate = (double)failed / candidate.Runs;
            if (failureRate >= gates.MaxErrorRate)
            {
                var fellBack = failed > candidate.Errors ? $", {failed - candidate.Errors} of them fell back to the stable model" : "";
                fails.Add($"{label}: error rate {Pct(failureRate)} in the candidate ({failed} of {candidate.Runs} runs{fellBack}) is not below {Pct(gates.MaxErrorRate)} (baseline {(b is null ? "n/a" : Pct(b.ErrorRate))})."
                    + (candidate.SampleErrors is [var first, ..] ? $" First error: {first}" : ""));
            }
            if (candidate.Placeholders > gates.MaxPlaceholders)
            {
                fails.Add($"{label}: placeholders {candidate.Placeholders} in the candidate exceed the allowed {gates.MaxPlaceholders} (baseline {b?.Placeholders.ToString(CultureInfo.InvariantCulture) ?? "n/a"}).");
            }

            if (b is null || b.Runs < gates.MinRunsPerStage)
            {
                unknowns.Add($"{label}: runs {b?.Runs ?? 0} in the baseline is below the minimum of {gates.MinRunsPerStage}; cost and latency cannot be judged.");
            }
            else
            {
                var allowed = b.CostPerRun * (1 + (decimal)gates.CostMarginPercent / 100m);
                if (candidate.CostPerRun > allowed)
                {
                    fails.Add($"{label}: cost per run {Usd(candidate.CostPerRun)} in the candidate is above the baseline's {Usd(b.CostPerRun)} by {Num(costChange ?? 0)} % (allowed {Num(gates.CostMarginPercent)} %).");
                }
                if (gates.LatencyMarginPercent is { } margin && latencyChange is { } change && change > margin)
                {
                    fails.Add($"{label}: mean latency {Num(candidate.LatencyMeanMs)} ms in the candidate is slower than the baseline's {Num(b.LatencyMeanMs)} ms by {Num(change)} % (allowed {Num(margin)} %).");
                }
            }
        }

        if (latencyChange is { } delta && baseline is not null && candidate is not null)
        {
            notes.Add($"{label}: mean latency {Num(baseline.LatencyMeanMs)} ms → {Num(candidate.LatencyMeanMs)} ms ({Signed(delta)} %), p95 {Num(baseline.LatencyP95Ms)} ms → {Num(candidate.LatencyP95Ms)} ms.");
        }
        if (candidate is { Fallbacks: > 0 })
        {
            notes.Add($"{label}: {candidate.Fallbacks} runs fell back to the stable model in the candidate (baseline {baseline?.Fallbacks ?? 0}).");
        }
        if (candidate is not null && baseline is not null && candidate.Retries + candidate.Reasks > baseline.Retries + baseline.Reasks)
        {
            notes.Add($"{label}: retries {baseline.Retries} → {candidate.Retries}, re-asks {baseline.Reasks} → {candidate.Reasks}.");
        }

        var verdict = fails.Count > 0 ? Verdict.Fail : unknowns.Count > 0 ? Verdict.Inconclusive : Verdict.Pass;
        return new StageComparison
        {
            Stage = number,
            Name = name,
            Verdict = verdict,
            Reasons = [.. fails, .. unknowns],
            Notes = notes,
            Baseline = baseline,
            Candidate = candidate,
            LatencyChangePercent = latencyChange is { } l ? Math.Round(l, 1) : null,
            CostChangePercent = costChange is { } c ? Math.Round(c, 1) : null,
        };
    }

    /// <summary>Relative change in percent; a change from zero is 0 when both are zero, otherwise +100 %.</summary>
    internal static double Change(double before, double after) =>
        before == 0 ? (after == 0 ? 0 : 100) : (after - before) / before * 100;

    internal static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Signed(double value) => value.ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture);

    internal static string Pct(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    internal static string Usd(decimal value) => "$" + value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Format(double? value) => value is { } v ? Num(v) : "n/a";
}
