using System.Net.Http.Json;
using MarketIntel.Pipeline.Evaluation;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// Evaluations end to end in a real worker host against real Redis and the in-process emulator: queued on the job
/// stream, run through the stage runner, compared. One sample and one trial keep them fast, so the gates take one run.
/// </summary>
public sealed class EvaluationTests : IAsyncLifetime
{
    private const string Sample = "wealth-executive-coaching";
    private const string Fp8 = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";
    private const string Llama33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    // One run per stage judges quality, errors and placeholders, but not cost: a single answer's length (or one re-ask)
    // moves a stage's cost by more than the 10 % margin, which is why MinRunsPerStage defaults to 3. The cost gate has
    // its own unit tests (EvaluationComparerTests).
    private static readonly EvaluationGates Gates = new() { MinRunsPerStage = 1, CostMarginPercent = 100 };

    private readonly RedisServer _redis = new();
    private readonly EmulatorFactory _emulator = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task The_default_routing_passes_against_itself()
    {
        using var host = await StartAsync();
        var active = await host.Services.GetRequiredService<RoutingStore>().GetActiveAsync();

        var baseline = await RunAsync(host, EvaluationKind.Baseline, routing: null);
        var candidate = await RunAsync(host, EvaluationKind.Candidate, active, phase: 0);
        var comparison = EvaluationComparer.Compare(baseline, candidate, Gates);

        Assert.Equal(13, baseline.Stages.Count);
        Assert.All(baseline.Stages, s =>
        {
            Assert.Equal(1, s.Runs);
            Assert.Equal(0, s.Errors);
            Assert.Equal(["@cf/meta/llama-3.1-70b-instruct"], s.Models);
            Assert.True(s.TokensOut > 0 && s.Cost > 0, $"stage {s.Stage} has no tokens or cost");
        });
        Assert.Equal(active.Version, baseline.RoutingVersion);
        Assert.Equal([Sample], baseline.Samples);
        Assert.True(comparison.Verdict == Verdict.Pass, string.Join("\n", comparison.Stages.SelectMany(s => s.Reasons)));
        Assert.Equal(0, comparison.ExitCode);

        // Nothing came from or went to the cache: a second identical run calls the model again.
        var again = await RunAsync(host, EvaluationKind.Baseline, routing: null);
        Assert.All(again.Stages, s => Assert.True(s.TokensIn > 0));
    }

    [Fact]
    public async Task Llama_3_3_as_the_stable_model_of_stage_4_fails_naming_stage_4()
    {
        using var host = await StartAsync();
        var active = await host.Services.GetRequiredService<RoutingStore>().GetActiveAsync();
        var proposed = With(active, Llama33, 4);

        var baseline = await RunAsync(host, EvaluationKind.Baseline, routing: null);
        var candidate = await RunAsync(host, EvaluationKind.Candidate, proposed);
        var comparison = EvaluationComparer.Compare(baseline, candidate, Gates);

        Assert.Equal(Verdict.Fail, comparison.Verdict);
        Assert.Equal(1, comparison.ExitCode);
        var stage4 = comparison.Stages.Single(s => s.Stage == 4);
        Assert.Equal(Verdict.Fail, stage4.Verdict);
        Assert.Contains(stage4.Reasons, r => r.StartsWith("Stage 4", StringComparison.Ordinal) && r.Contains("error rate 100 %"));
        Assert.Equal(1, candidate.Stage(4)!.Errors);
        // What reads stage 4 did not run in that trial; stages beside it did.
        Assert.Equal(1, candidate.Stage(5)!.NotRun);
        Assert.Equal(0, candidate.Stage(5)!.Runs);
        Assert.Equal(1, candidate.Stage(1)!.Runs);
        Assert.Equal(Verdict.Pass, comparison.Stages.Single(s => s.Stage == 1).Verdict);
    }

    [Fact]
    public async Task Placeholders_from_the_candidate_model_fail_the_placeholder_gate()
    {
        using var admin = _emulator.CreateClient();
        var put = await admin.PutAsync($"/admin/profiles/{Fp8}", JsonContent.Create(new { PlaceholderRate = 1.0 }));
        put.EnsureSuccessStatusCode();
        using var host = await StartAsync();
        var active = await host.Services.GetRequiredService<RoutingStore>().GetActiveAsync();
        var proposed = With(active, Fp8, 1, 2, 3);

        var baseline = await RunAsync(host, EvaluationKind.Baseline, routing: null);
        var candidate = await RunAsync(host, EvaluationKind.Candidate, proposed, phase: 1);
        var comparison = EvaluationComparer.Compare(baseline, candidate, Gates);

        Assert.Equal(Verdict.Fail, comparison.Verdict);
        Assert.True(candidate.Stage(1)!.Placeholders > 0);
        Assert.Contains(comparison.Stages.Single(s => s.Stage == 1).Reasons, r => r.StartsWith("Stage 1", StringComparison.Ordinal) && r.Contains("placeholders"));
        Assert.Equal(0, baseline.Stage(1)!.Placeholders);
    }

    private static RoutingDocument With(RoutingDocument active, string model, params int[] stages) => active with
    {
        Version = 0,
        Stages = active.Stages.ToDictionary(p => p.Key, p => stages.Contains(p.Key) ? p.Value with { Stable = model } : p.Value),
    };

    private async Task<IHost> StartAsync()
    {
        var host = WorkerHost.Build(_redis, _emulator);
        await host.StartAsync();
        return host;
    }

    private static async Task<EvaluationResult> RunAsync(IHost host, EvaluationKind kind, RoutingDocument? routing, int? phase = null)
    {
        var store = host.Services.GetRequiredService<EvaluationStore>();
        var request = new EvaluationRequest
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = kind,
            Phase = phase,
            Trials = 1,
            Samples = [Sample],
            Routing = routing,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await store.CreateAsync(request);
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var snapshot = await store.GetAsync(request.Id);
            if (snapshot!.Status == EvaluationStatus.Succeeded)
            {
                Assert.Equal(snapshot.Total, snapshot.Completed);
                return snapshot.Result!;
            }
            Assert.NotEqual(EvaluationStatus.Failed, snapshot.Status);
            await Task.Delay(100, timeout.Token);
        }
    }
}
