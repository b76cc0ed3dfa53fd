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
    [Theory]
    [InlineData(100, true)]
    [InlineData(80, false)]
    public async Task Comparing_a_phase_candidate_records_its_verdict(double candidateQuality, bool passed)
    {
        var store = factory.Services.GetRequiredService<EvaluationStore>();
        var baseline = await FinishedAsync(store, EvaluationKind.Baseline, null, 100);
        var candidate = await FinishedAsync(store, EvaluationKind.Candidate, 2, candidateQuality);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);

        var response = await client.GetAsync($"/api/evaluations/compare?baseline={baseline}&candidate={candidate}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await factory.Services.GetRequiredService<RedisEvaluationVerdicts>().GetAsync(2);
        Assert.NotNull(verdict);
        Assert.Equal(passed, verdict.Passed);
        Assert.Equal(candidate, verdict.EvaluationId);
    }

    private static async Task<string> FinishedAsync(EvaluationStore store, EvaluationKind kind, int? phase, double quality)
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
            Routing = new RoutingDocument { Version = 1 },
            Trials = 3,
            Samples = ["wealth-executive-coaching"],
            Stages = stages,
            Totals = EvaluationTotals.Of(stages, 1000),
        });
        return id;
    }
}
