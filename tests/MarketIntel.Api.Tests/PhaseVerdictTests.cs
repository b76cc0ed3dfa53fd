using System.Net;
using MarketIntel.Pipeline.Evaluation;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;
using MarketIntel.Storage.Rollout;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.Api.Tests;

/// <summary>Comparing a phase's candidate evaluation with a baseline records the verdict that applying the phase needs.</summary>
public class PhaseVerdictTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Llama31 = "@cf/meta/llama-3.1-70b-instruct";
    private const string Fp8 = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";

    /// <summary>Every stage on Llama 3.1, except <paramref name="onFp8"/> (phase 2 of the shipped plan is 5, 7, 8, 9 to FP8 Fast).</summary>
    private static RoutingDocument Routing(params int[] onFp8) => new()
    {
        Version = 1,
        Stages = Enumerable.Range(1, 13).ToDictionary(s => s, s => new StageRoute { Stable = onFp8.Contains(s) ? Fp8 : Llama31 }),
    };

    [Theory]
    [InlineData(100, true)]
    [InlineData(80, false)]
    public async Task Comparing_a_phase_candidate_records_its_verdict(double candidateQuality, bool passed)
    {
        var store = factory.Services.GetRequiredService<EvaluationStore>();
        var baseline = await FinishedAsync(store, EvaluationKind.Baseline, null, 100, Routing());
        var candidate = await FinishedAsync(store, EvaluationKind.Candidate, 2, candidateQuality, Routing(5, 7, 8, 9));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);

        var response = await client.GetAsync($"/api/evaluations/compare?baseline={baseline}&candidate={candidate}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await factory.Services.GetRequiredService<RedisEvaluationVerdicts>().GetAsync(2);
        Assert.NotNull(verdict);
        Assert.Equal(passed, verdict.Passed);
        Assert.Equal(candidate, verdict.EvaluationId);
    }

    /// <summary>Issue 16: any comparison tagged with a phase counted as that phase's verdict, whatever it had evaluated.</summary>
    [Fact]
    public async Task A_passing_comparison_of_other_stages_than_the_phase_s_is_recorded_as_a_failure_with_why()
    {
        var store = factory.Services.GetRequiredService<EvaluationStore>();
        var baseline = await FinishedAsync(store, EvaluationKind.Baseline, null, 100, Routing());
        var candidate = await FinishedAsync(store, EvaluationKind.Candidate, 2, 100, Routing(4, 5, 7, 8));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);

        var response = await client.GetAsync($"/api/evaluations/compare?baseline={baseline}&candidate={candidate}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await factory.Services.GetRequiredService<RedisEvaluationVerdicts>().GetAsync(2);
        Assert.NotNull(verdict);
        Assert.False(verdict.Passed);
        Assert.Contains("not an evaluation of phase 2", verdict.Summary, StringComparison.Ordinal);
        Assert.Contains($"stage 4 is not part of phase 2 but is served by {Fp8} in the candidate and by {Llama31} in the baseline", verdict.Summary, StringComparison.Ordinal);
        Assert.Contains($"stage 9 is served by {Llama31} in the candidate evaluation, not by phase 2's target {Fp8}", verdict.Summary, StringComparison.Ordinal);
    }

    private static async Task<string> FinishedAsync(EvaluationStore store, EvaluationKind kind, int? phase, double quality, RoutingDocument routing)
    {
        var id = Guid.NewGuid().ToString("N");
        await store.CreateAsync(new EvaluationRequest { Id = id, Kind = kind, Phase = phase, Trials = 3, CreatedAt = DateTimeOffset.UtcNow });
        var attempt = await store.StartAsync(id, 1);
        var stages = Enumerable.Range(1, 13).Select(n => new StageMetrics
        {
            Stage = n,
            Name = $"Stage {n}",
            Models = ["@cf/meta/llama-3.1-70b-instruct"],
            Runs = 9,
            LatencyMeanMs = 1000,
            LatencyP95Ms = 1500,
            Cost = 0.01m,
            QualityMean = quality,
            QualityMin = (int)quality,
        }).ToList();
        await store.CompleteAsync(id, attempt, new EvaluationResult
        {
            Id = id,
            Kind = kind,
            Phase = phase,
            CreatedAt = DateTimeOffset.UtcNow,
            Routing = routing,
            Trials = 3,
            Samples = ["wealth-executive-coaching"],
            Stages = stages,
            Totals = EvaluationTotals.Of(stages, 1000),
        });
        return id;
    }
}
