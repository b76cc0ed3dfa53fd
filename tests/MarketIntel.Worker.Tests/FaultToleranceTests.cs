using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Worker.Tests;

/// <summary>Full jobs through a real worker while the emulator misbehaves (docs/architecture.md §4, issue "Models" done-when).</summary>
public sealed class FaultToleranceTests : RedisAndEmulatorTest
{
    private const string Llama31 = "@cf/meta/llama-3.1-70b-instruct";
    private const string Llama33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

    [Fact]
    public async Task With_llama_33_as_a_full_candidate_on_stage_4_a_full_job_succeeds_by_falling_back_to_stable()
    {
        using var host = WorkerHost.Build(Redis, Emulator);
        var routing = host.Services.GetRequiredService<RoutingStore>();
        await routing.ChangeAsync(
            doc => doc with { Stages = new(doc.Stages) { [4] = doc.For(4) with { Candidate = Llama33, CandidateShare = 100 } } },
            "change", "test", "Replay the January upgrade on stage 4", approved: true);
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var job = TestJobs.Full();
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        Assert.Equal(JobStatus.Succeeded, done.Status);
        var stage4 = done.Stages[4];
        Assert.Equal(RouteKind.Fallback, stage4.Route);
        Assert.Equal(Llama31, stage4.Model);
        Assert.Contains(stage4.Attempts, a => a.Model == Llama33 && a.Outcome == AttemptOutcome.ProviderError && a.Route == RouteKind.Candidate);
        Assert.Contains(stage4.Attempts, a => a.Model == Llama31 && a.Outcome == AttemptOutcome.Succeeded && a.Fallback);
        Assert.All(done.Stages.Values, s => Assert.Equal(StageStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task With_20_percent_http_500_and_10_percent_429_on_every_model_20_full_jobs_in_a_row_succeed()
    {
        // Generous retries for a provider this faulty; the breaker stays for a model that is broken, not flaky.
        using var host = WorkerHost.Build(Redis, Emulator, new Dictionary<string, string?>
        {
            ["ModelResilience:MaxRetries"] = "8",
            ["ModelResilience:RetryDelay"] = "00:00:00.005",
            ["ModelResilience:MaxRetryAfter"] = "00:00:00.010",
            ["ModelResilience:BreakerFailureRatio"] = "0.9",
        });
        var emulator = Emulator.CreateClient();
        foreach (var model in new[] { Llama31, "@cf/meta/llama-3.1-70b-instruct-fp8-fast", Llama33, "@cf/mistralai/mistral-small-3.1-24b-instruct" })
        {
            var profile = await emulator.GetFromJsonAsync<JsonObject>("/admin/profiles");
            var current = profile![model]?.AsObject() ?? new JsonObject();
            current["http500Rate"] = 0.2;
            current["http429Rate"] = 0.1;
            var put = await emulator.PutAsJsonAsync($"/admin/profiles/{model}", current);
            put.EnsureSuccessStatusCode();
        }
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var outcomes = new List<JobSnapshot>();
        for (var i = 0; i < 20; i++)
        {
            var job = TestJobs.Full();
            await store.CreateAsync(job);
            outcomes.Add(await JobRecoveryTests.WaitForTerminalAsync(store, job.Id));
            // Each job must pay for its own calls: different profile text, so nothing comes from the cache.
        }
        await host.StopAsync();

        Assert.All(outcomes, o => Assert.True(o.Status == JobStatus.Succeeded, $"job {o.Record.Id}: {o.Error}"));
        var retries = outcomes.SelectMany(o => o.Stages.Values).SelectMany(s => s.Attempts).Sum(a => a.Retries);
        Assert.True(retries > 0, "The injected faults must have caused retries.");
        var stats = await emulator.GetFromJsonAsync<JsonObject>("/admin/stats");
        Assert.True(stats!["outcomes"]!["http500"]!.GetValue<int>() > 0);
        Assert.True(stats["outcomes"]!["http429"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task A_report_reasked_on_a_24k_model_is_sent_without_the_previous_report_so_the_reask_fits_the_window()
    {
        const string Fp8Fast = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";
        // The whole report in one call: sections are small enough for any re-ask to carry their previous answer.
        using var host = WorkerHost.Build(Redis, Emulator, new Dictionary<string, string?> { ["Stages:SectionedReport"] = "false" });
        await host.Services.GetRequiredService<RoutingStore>().ChangeAsync(
            doc => doc with { Stages = new(doc.Stages) { [6] = doc.For(6) with { Stable = Fp8Fast } } },
            "change", "test", "Stage 6 on a model that always leaves a placeholder");
        var emulator = Emulator.CreateClient();
        await Emulator.ChangeProfileAsync(Fp8Fast, profile => profile["placeholderRate"] = 1.0);
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var job = JobRecoveryTests.NewJob() with { Stages = [1, 2, 3, 4, 5, 6] };
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        // A report of some 9K tokens plus the prompt and a 12K output budget overflows a 24K window: re-asks that carried
        // the previous report were refused with HTTP 400 and the stage failed on a provider error instead of its findings.
        var stage6 = done.Stages[6];
        Assert.Equal(StageStatus.Failed, stage6.Status);
        Assert.StartsWith("Stage 6 (Report Synthesis) output from", stage6.Error);
        Assert.Equal([false, true, true, true], stage6.Attempts.Select(a => a.Reask));
        Assert.All(stage6.Attempts, a => Assert.Equal(AttemptOutcome.Invalid, a.Outcome));
        var stats = await emulator.GetFromJsonAsync<JsonObject>("/admin/stats");
        Assert.Equal(4, stats!["models"]![Fp8Fast]!["outcomes"]!["placeholder"]!.GetValue<int>());
        Assert.Null(stats["outcomes"]!["context400"]);
    }
}

public sealed class ShadowTests : RedisAndEmulatorTest
{
    private const string Stable = "@cf/meta/llama-3.1-70b-instruct";
    private const string Shadow = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";

    [Fact]
    public async Task A_shadow_model_runs_and_is_recorded_but_its_output_is_never_used()
    {
        using var host = WorkerHost.Build(Redis, Emulator);
        await host.Services.GetRequiredService<RoutingStore>().ChangeAsync(
            doc => doc with { Stages = new(doc.Stages) { [1] = doc.For(1) with { Shadow = Shadow } } },
            "change", "test", "Shadow FP8 on stage 1");
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var job = JobRecoveryTests.NewJob();
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        Assert.Equal(JobStatus.Succeeded, done.Status);
        var stage1 = done.Stages[1];
        Assert.Equal(Stable, stage1.Model);
        Assert.Contains(stage1.Attempts, a => a.Route == RouteKind.Shadow && a.Model == Shadow);
        var output = await store.GetLatestOutputAsync(job.Id, 1);
        Assert.Equal(Stable, output!.Model);
        Assert.Equal(1, await store.CountOutputVersionsAsync(job.Id, 1));
        // The shadow never touches other stages.
        Assert.DoesNotContain(done.Stages.Values.Where(s => s.Stage != 1).SelectMany(s => s.Attempts), a => a.Model == Shadow);
    }
}
