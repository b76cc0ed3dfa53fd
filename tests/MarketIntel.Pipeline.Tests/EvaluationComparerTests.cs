using MarketIntel.Pipeline.Evaluation;
using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Pipeline.Tests;

public class EvaluationComparerTests
{
    private static readonly EvaluationGates Gates = new() { MinRunsPerStage = 3 };

    internal static StageMetrics Stage(int number, Func<StageMetrics, StageMetrics>? change = null)
    {
        var metrics = new StageMetrics
        {
            Stage = number,
            Name = $"Stage{number}",
            Models = ["@cf/meta/llama-3.1-70b-instruct"],
            Runs = 10,
            LatencyMeanMs = 1000,
            LatencyP95Ms = 1500,
            TokensIn = 10_000,
            TokensOut = 20_000,
            Cost = 0.05m,
            QualityMean = 100,
            QualityMin = 100,
        };
        return change is null ? metrics : change(metrics);
    }

    internal static EvaluationResult Result(string id, EvaluationKind kind, params StageMetrics[] stages) => new()
    {
        Id = id,
        Kind = kind,
        Phase = kind == EvaluationKind.Candidate ? 1 : null,
        CreatedAt = new DateTimeOffset(2025, 1, 26, 2, 15, 0, TimeSpan.Zero),
        Routing = new RoutingDocument { Version = 1 },
        Trials = 10,
        Samples = ["wealth-executive-coaching"],
        Stages = stages,
        Totals = EvaluationTotals.Of(stages, 1234),
    };

    private static StageComparison CompareOne(StageMetrics candidate, StageMetrics? baseline = null, EvaluationGates? gates = null) =>
        EvaluationComparer.Compare(
            Result("b", EvaluationKind.Baseline, baseline ?? Stage(candidate.Stage)),
            Result("c", EvaluationKind.Candidate, candidate),
            gates ?? Gates).Stages.Single();

    /// <summary>Issue 16: a candidate that always fell back to the stable model scored the stable model's quality and passed.</summary>
    [Fact]
    public void A_candidate_that_falls_back_fails_the_error_rate_gate()
    {
        var observations = Enumerable.Range(0, 10).Select(_ => new StageRunObservation
        {
            Stage = 4, Succeeded = true, Fallback = true, QualityScore = 100, DurationMs = 1000,
            Models = ["@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/meta/llama-3.1-70b-instruct"],
        }).ToList();
        var candidate = StageMetricsBuilder.Build(4, "Stage4", observations);

        var stage = CompareOne(candidate);

        Assert.Equal(Verdict.Fail, stage.Verdict);
        Assert.Contains(stage.Reasons, r => r.Contains("error rate 100 % in the candidate (10 of 10 runs, 10 of them fell back to the stable model)", StringComparison.Ordinal));
    }

    [Fact]
    public void Identical_results_pass_with_exit_code_0()
    {
        var comparison = EvaluationComparer.Compare(
            Result("b", EvaluationKind.Baseline, Stage(1), Stage(2)),
            Result("c", EvaluationKind.Candidate, Stage(1), Stage(2)), Gates);

        Assert.Equal(Verdict.Pass, comparison.Verdict);
        Assert.Equal(0, comparison.ExitCode);
        Assert.All(comparison.Stages, s => Assert.Empty(s.Reasons));
    }

    [Fact]
    public void Quality_at_the_gate_passes_and_below_it_fails_naming_stage_metric_and_both_values()
    {
        Assert.Equal(Verdict.Pass, CompareOne(Stage(2, m => m with { QualityMean = 95 })).Verdict);

        var failed = CompareOne(Stage(2, m => m with { QualityMean = 94.5 }));
        Assert.Equal(Verdict.Fail, failed.Verdict);
        var reason = Assert.Single(failed.Reasons);
        Assert.Contains("Stage 2", reason);
        Assert.Contains("quality mean", reason);
        Assert.Contains("94.5", reason);
        Assert.Contains("baseline 100", reason);
    }

    [Fact]
    public void A_stage_without_any_valid_output_fails_quality_and_error_rate()
    {
        var failed = CompareOne(Stage(4, m => m with { QualityMean = null, QualityMin = null, Errors = 10, SampleErrors = ["HTTP 500"] }));

        Assert.Equal(Verdict.Fail, failed.Verdict);
        Assert.Contains(failed.Reasons, r => r.Contains("Stage 4") && r.Contains("quality mean has no value"));
        Assert.Contains(failed.Reasons, r => r.Contains("Stage 4") && r.Contains("error rate 100 %") && r.Contains("HTTP 500"));
    }

    [Fact]
    public void Error_rate_below_one_percent_passes_and_at_one_percent_fails()
    {
        Assert.Equal(Verdict.Pass, CompareOne(Stage(3, m => m with { Runs = 200, Errors = 1 })).Verdict);

        var failed = CompareOne(Stage(3, m => m with { Runs = 100, Errors = 1 }));
        Assert.Equal(Verdict.Fail, failed.Verdict);
        var reason = Assert.Single(failed.Reasons);
        Assert.Contains("Stage 3", reason);
        Assert.Contains("error rate 1 %", reason);
        Assert.Contains("baseline 0 %", reason);
    }

    [Fact]
    public void Any_placeholder_fails()
    {
        Assert.Equal(Verdict.Pass, CompareOne(Stage(1, m => m with { Placeholders = 0 })).Verdict);

        var failed = CompareOne(Stage(1, m => m with { Placeholders = 2 }));
        Assert.Equal(Verdict.Fail, failed.Verdict);
        var reason = Assert.Single(failed.Reasons);
        Assert.Contains("Stage 1", reason);
        Assert.Contains("placeholders 2", reason);
        Assert.Contains("baseline 0", reason);
    }

    [Fact]
    public void Cost_within_the_margin_passes_and_above_it_fails()
    {
        // Baseline 0.005 per run; 10 % margin → 0.0055 allowed.
        Assert.Equal(Verdict.Pass, CompareOne(Stage(5, m => m with { Cost = 0.055m })).Verdict);

        var failed = CompareOne(Stage(5, m => m with { Cost = 0.056m }));
        Assert.Equal(Verdict.Fail, failed.Verdict);
        var reason = Assert.Single(failed.Reasons);
        Assert.Contains("Stage 5", reason);
        Assert.Contains("cost per run $0.0056", reason);
        Assert.Contains("$0.005", reason);
        Assert.Equal(12, failed.CostChangePercent);

        Assert.Equal(Verdict.Pass, CompareOne(Stage(5, m => m with { Cost = 0.056m }), gates: new EvaluationGates { MinRunsPerStage = 3, CostMarginPercent = 20 }).Verdict);
    }

    [Fact]
    public void Latency_change_is_reported_and_gated_only_when_a_margin_is_set()
    {
        var faster = CompareOne(Stage(7, m => m with { LatencyMeanMs = 850 }));
        Assert.Equal(Verdict.Pass, faster.Verdict);
        Assert.Equal(-15, faster.LatencyChangePercent);
        Assert.Contains(faster.Notes, n => n.Contains("Stage 7") && n.Contains("1000 ms → 850 ms (-15 %)"));

        var slower = CompareOne(Stage(7, m => m with { LatencyMeanMs = 1300 }));
        Assert.Equal(Verdict.Pass, slower.Verdict);
        Assert.Equal(30, slower.LatencyChangePercent);

        var gated = CompareOne(Stage(7, m => m with { LatencyMeanMs = 1300 }), gates: new EvaluationGates { MinRunsPerStage = 3, LatencyMarginPercent = 20 });
        Assert.Equal(Verdict.Fail, gated.Verdict);
        Assert.Contains(gated.Reasons, r => r.Contains("Stage 7") && r.Contains("mean latency 1300 ms") && r.Contains("1000 ms"));
    }

    [Fact]
    public void Too_few_runs_are_inconclusive_with_exit_code_2()
    {
        var comparison = EvaluationComparer.Compare(
            Result("b", EvaluationKind.Baseline, Stage(1), Stage(5)),
            Result("c", EvaluationKind.Candidate, Stage(1), Stage(5, m => m with { Runs = 2, Cost = 0.01m, NotRun = 8 })), Gates);

        Assert.Equal(Verdict.Inconclusive, comparison.Verdict);
        Assert.Equal(2, comparison.ExitCode);
        var stage5 = comparison.Stages.Single(s => s.Stage == 5);
        Assert.Equal(Verdict.Inconclusive, stage5.Verdict);
        Assert.Contains(stage5.Reasons, r => r.Contains("Stage 5") && r.Contains("runs 2") && r.Contains("minimum of 3"));

        var thinBaseline = CompareOne(Stage(6), baseline: Stage(6, m => m with { Runs = 1, Cost = 0.005m }));
        Assert.Equal(Verdict.Inconclusive, thinBaseline.Verdict);
        Assert.Contains(thinBaseline.Reasons, r => r.Contains("baseline is below the minimum"));
    }

    [Fact]
    public void A_failure_outweighs_an_inconclusive_stage_with_exit_code_1()
    {
        var comparison = EvaluationComparer.Compare(
            Result("b", EvaluationKind.Baseline, Stage(4), Stage(5)),
            Result("c", EvaluationKind.Candidate, Stage(4, m => m with { Errors = 10, QualityMean = null }), Stage(5, m => m with { Runs = 0, NotRun = 10, Cost = 0 })), Gates);

        Assert.Equal(Verdict.Fail, comparison.Verdict);
        Assert.Equal(1, comparison.ExitCode);
        Assert.Equal(Verdict.Inconclusive, comparison.Stages.Single(s => s.Stage == 5).Verdict);
    }

    [Fact]
    public void Metrics_builder_folds_runs_errors_and_percentiles()
    {
        var observations = Enumerable.Range(1, 20)
            .Select(i => new StageRunObservation { Stage = 1, Succeeded = i != 20, DurationMs = i * 100, QualityScore = 90 + i % 10, Cost = 0.001m, Placeholders = i == 3 ? 1 : 0, Reasks = i == 3 ? 1 : 0, Models = ["m"], Error = i == 20 ? "boom" : null })
            .Append(new StageRunObservation { Stage = 1, NotRun = true })
            .ToList();

        var metrics = StageMetricsBuilder.Build(1, "Market", observations);

        Assert.Equal(20, metrics.Runs);
        Assert.Equal(1, metrics.Errors);
        Assert.Equal(1, metrics.NotRun);
        Assert.Equal(0.05, metrics.ErrorRate);
        Assert.Equal(1050, metrics.LatencyMeanMs);
        Assert.Equal(1900, metrics.LatencyP95Ms);
        Assert.Equal(0.02m, metrics.Cost);
        Assert.Equal(0.001m, metrics.CostPerRun);
        Assert.Equal(90, metrics.QualityMin);
        Assert.Equal(1, metrics.Placeholders);
        Assert.Equal(["boom"], metrics.SampleErrors);
    }

    [Fact]
    public void File_names_follow_the_tracker_and_results_round_trip()
    {
        var baseline = Result("b", EvaluationKind.Baseline, Stage(1));
        var candidate = Result("c", EvaluationKind.Candidate, Stage(1));

        Assert.Equal("baseline-2025-01-26", EvaluationFiles.BaseName(baseline));
        Assert.Equal("phase-1-2025-01-26", EvaluationFiles.BaseName(candidate));
        Assert.Equal("candidate-2025-01-26", EvaluationFiles.BaseName(candidate with { Phase = null }));

        var json = EvaluationFiles.Serialize(candidate);
        Assert.Contains("\"latency_mean_ms\"", json);
        Assert.Contains("\"kind\": \"candidate\"", json);
        var back = EvaluationFiles.Deserialize(json);
        Assert.Equal(candidate.Stages.Single(), back.Stages.Single() with { Models = candidate.Stages.Single().Models, SampleErrors = [] });
        Assert.Equal(0.005m, back.Stages.Single().CostPerRun);
    }
}

public class EvaluationReportTests
{
    private static EvaluationComparison Hostile()
    {
        var hostile = "<script>alert('x')</script> | [link](javascript:alert(1)) R&D &lt;b&gt; \\<i>";
        var baseline = EvaluationComparerTests.Result("b", EvaluationKind.Baseline, EvaluationComparerTests.Stage(1), EvaluationComparerTests.Stage(2));
        var candidate = EvaluationComparerTests.Result("c", EvaluationKind.Candidate,
            EvaluationComparerTests.Stage(1, m => m with { Name = hostile, Models = [hostile], Errors = 10, QualityMean = null, SampleErrors = [hostile] }),
            EvaluationComparerTests.Stage(2, m => m with { LatencyMeanMs = 800 }));
        return EvaluationComparer.Compare(baseline, candidate, new EvaluationGates { MinRunsPerStage = 3 });
    }

    [Fact]
    public void Markdown_has_the_table_verdicts_and_reasons_and_neutralises_hostile_text()
    {
        var md = EvaluationReport.ToMarkdown(Hostile());

        Assert.Contains("**Verdict: FAIL** (exit code 1)", md);
        Assert.Contains("| Stage | Verdict | Models (baseline → candidate) | Quality mean | Error rate | Placeholders | Latency mean ms (Δ) | Cost per run (Δ) |", md);
        Assert.Contains("| 2 Stage2 | PASS |", md);
        Assert.Contains("1000 → 800 (-20 %)", md);
        Assert.Contains("## Reasons", md);
        Assert.DoesNotContain("<script>", md);
        Assert.DoesNotContain("[link](", md);
        Assert.Contains("\\[link\\]", md);
        Assert.Contains("\\<script\\>", md);
        // Readable as raw text: a plain ampersand stays, an entity or a backslash cannot form a tag.
        Assert.Contains("R&D", md);
        Assert.DoesNotContain("&amp;", md);
        Assert.Contains("\\&lt;b\\&gt;", md);
        Assert.Contains("\\\\\\<i\\>", md);
        // Every table row has exactly the header's number of unescaped cell separators.
        foreach (var line in md.Split('\n').Where(l => l.StartsWith("| 1 ", StringComparison.Ordinal)))
        {
            Assert.Equal(9, line.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
        }
    }

    [Fact]
    public void Html_is_self_contained_has_the_table_and_escapes_hostile_text()
    {
        var html = EvaluationReport.ToHtml(Hostile());

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("<th>Verdict</th>", html);
        Assert.Contains("<td class=\"fail\">FAIL</td>", html);
        Assert.Contains("<td class=\"pass\">PASS</td>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);
    }
}
