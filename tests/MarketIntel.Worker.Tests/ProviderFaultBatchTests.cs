using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// A batch of full jobs through a real worker while every emulated model times out, answers 500 and 429 (3040), and
/// spoils answers (malformed JSON, truncation, placeholders) at fixed rates. Every injected fault must be met by a
/// retry, a re-ask or a fallback, and nothing spoiled may end up in a succeeded stage (docs/reliability.md).
/// </summary>
public sealed partial class ProviderFaultBatchTests : RedisAndEmulatorTest
{
    private const string Llama31 = "@cf/meta/llama-3.1-70b-instruct";
    private const string Fp8Fast = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";
    private const string Llama33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
    private const string Mistral = "@cf/mistralai/mistral-small-3.1-24b-instruct";
    private const int Jobs = 12;
    private const int AttemptTimeoutSeconds = 3;

    private static readonly Dictionary<string, double> Rates = new()
    {
        ["timeoutRate"] = 0.05,
        ["http500Rate"] = 0.05,
        ["http429Rate"] = 0.05,
        ["malformedJsonRate"] = 0.05,
        ["truncationRate"] = 0.05,
        ["placeholderRate"] = 0.05,
    };

    [Fact]
    public async Task Under_timeouts_5xx_429_malformed_truncated_and_placeholder_answers_every_fault_is_retried_reasked_or_fallen_back_and_no_spoiled_output_succeeds()
    {
        using var host = WorkerHost.Build(Redis, Emulator, new Dictionary<string, string?>
        {
            ["ModelResilience:RetryDelay"] = "00:00:00.005",
            ["ModelResilience:MaxRetryAfter"] = "00:00:00.010",
            // The batch makes a few hundred calls in well under a minute; the provider's 300 a minute would only queue them.
            ["Providers:workers-ai:RequestsPerMinute"] = "100000",
        });
        await host.Services.GetRequiredService<RoutingStore>().ChangeAsync(
            doc => doc with
            {
                Stages = doc.Stages.ToDictionary(p => p.Key, p => p.Value with
                {
                    // A short per-attempt timeout, so an answer the emulator holds back costs seconds, not the default 45.
                    TimeoutSeconds = AttemptTimeoutSeconds,
                    // Phase 1 on stages 1-3, and 3.3 70B on stage 4, which always fails its 40-field schema: fallbacks happen.
                    Candidate = p.Key switch { <= 3 => Fp8Fast, 4 => Llama33, _ => null },
                    CandidateShare = p.Key <= 4 ? 100 : 0,
                }),
            },
            "change", "test", "Provider-fault batch", approved: true);

        var emulator = Emulator.CreateClient();
        foreach (var model in new[] { Llama31, Fp8Fast, Llama33, Mistral })
        {
            var profiles = await emulator.GetFromJsonAsync<JsonObject>("/admin/profiles");
            var profile = profiles![model]!.AsObject();
            foreach (var (name, rate) in Rates)
            {
                profile[name] = rate;
            }
            // Far longer than the attempt timeout: the client must give up, not wait.
            profile["timeoutDelayMs"] = 30_000;
            (await emulator.PutAsJsonAsync($"/admin/profiles/{model}", profile)).EnsureSuccessStatusCode();
        }

        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();
        var samples = SampleSuite.LoadAll();
        var records = Enumerable.Range(1, Jobs).Select(i => TestJobs.Full(samples[i % samples.Count])).ToList();
        foreach (var record in records)
        {
            await store.CreateAsync(record);
        }
        var jobs = await WaitForAllTerminalAsync(store, records.Select(r => r.Id));
        await host.StopAsync();
        var stats = (await emulator.GetFromJsonAsync<JsonObject>("/admin/stats"))!["outcomes"]!.AsObject();
        int Injected(string outcome) => stats[outcome]?.GetValue<int>() ?? 0;

        // Every job ends, and a failed one says which stage gave up and why.
        foreach (var job in jobs)
        {
            if (job.Status == JobStatus.Succeeded)
            {
                Assert.All(job.Stages.Values, s => Assert.Equal(StageStatus.Succeeded, s.Status));
                continue;
            }
            Assert.Equal(JobStatus.Failed, job.Status);
            var named = StageReason().Match(job.Error ?? "");
            Assert.True(named.Success, $"job {job.Record.Id} failed without naming the stage: {job.Error}");
            Assert.Equal(StageStatus.Failed, job.Stages[int.Parse(named.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)].Status);
        }

        var attempts = jobs.SelectMany(j => j.Stages.Values).SelectMany(s => s.Attempts).ToList();
        var retryKinds = attempts.SelectMany(a => a.RetryReasons)
            .Concat(attempts.Where(a => a.Outcome == AttemptOutcome.ProviderError).Select(a => a.Errors[0]))
            .GroupBy(ProviderFaultKind).ToDictionary(g => g.Key, g => g.Count());
        var invalidKinds = attempts.Where(a => a.Outcome == AttemptOutcome.Invalid)
            .GroupBy(ContentFaultKind).ToDictionary(g => g.Key, g => g.Count());
        int Handled(Dictionary<string, int> kinds, string kind) => kinds.GetValueOrDefault(kind);

        var figures = new
        {
            Rates,
            AttemptTimeoutSeconds,
            Jobs = jobs.Count,
            Succeeded = jobs.Count(j => j.Status == JobStatus.Succeeded),
            Failed = jobs.Where(j => j.Status != JobStatus.Succeeded).Select(j => j.Error).ToList(),
            Stages = jobs.Sum(j => j.Stages.Count),
            StagesSucceeded = jobs.Sum(j => j.Stages.Values.Count(s => s.Status == StageStatus.Succeeded)),
            EmulatorRequests = stats.Sum(p => p.Value!.GetValue<int>()),
            Attempts = attempts.Count,
            Retries = attempts.Sum(a => a.Retries),
            Reasks = attempts.Count(a => a.Reask),
            FallbackAttempts = attempts.Count(a => a.Fallback),
            StagesFallenBack = jobs.Sum(j => j.Stages.Values.Count(s => s.Route == RouteKind.Fallback)),
            Injected = stats.ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()),
            ProviderFaultsSeen = retryKinds,
            InvalidAnswers = invalidKinds,
        };
        Artifacts.Write("provider-faults.json", figures);

        foreach (var outcome in new[] { "timeout", "http500", "http429", "malformed", "truncated", "placeholder" })
        {
            Assert.True(Injected(outcome) > 0, $"The emulator injected no '{outcome}' fault; the rates are too low to test anything.");
        }

        // Each 500 and 429 the emulator sent is a retry or, once retries are spent, the attempt's error; the 500s include
        // 3.3 70B's schema failures. Timeouts may exceed the injected ones: a slow machine can time out an ordinary answer.
        Assert.Equal(Injected("http500") + Injected("schema500"), Handled(retryKinds, "http500"));
        Assert.Equal(Injected("http429"), Handled(retryKinds, "http429"));
        Assert.True(Handled(retryKinds, "timeout") >= Injected("timeout"), $"{Injected("timeout")} timeouts injected, {Handled(retryKinds, "timeout")} retried or failed on");

        // Each spoiled answer is judged invalid (and re-asked, or the stage fails or falls back); malformed JSON that is
        // only wrapped in prose or carries a trailing comma is repaired by the parser and may pass. A placeholder answer
        // that the emulator's indentation pushes past the output budget is cut off as well, so it counts as truncated.
        Assert.Equal(Injected("truncated") + Injected("placeholder"), Handled(invalidKinds, "truncated") + Handled(invalidKinds, "placeholder"));
        Assert.True(Handled(invalidKinds, "truncated") >= Injected("truncated"));
        Assert.InRange(Handled(invalidKinds, "malformed"), 1, Injected("malformed"));
        Assert.Equal(0, Handled(invalidKinds, "other"));
        Assert.True(figures.Reasks > 0 && figures.Retries > 0);

        Assert.Contains(attempts, a => a.Fallback && a.Outcome == AttemptOutcome.Succeeded);
        Assert.All(jobs.Where(j => j.Status == JobStatus.Succeeded), j => Assert.Equal(RouteKind.Fallback, j.Stages[4].Route));

        // Nothing spoiled got through: every stored output of a succeeded stage is free of placeholders and validates.
        foreach (var job in jobs)
        {
            var outputs = new Dictionary<int, string>();
            foreach (var number in job.Stages.Keys.Order().Where(n => job.Stages[n].Status == StageStatus.Succeeded))
            {
                outputs[number] = (await store.GetLatestOutputAsync(job.Record.Id, number))!.Content;
            }
            var input = new StageInput(job.Record.Profile, job.Record.Preferences, outputs);
            foreach (var (number, content) in outputs)
            {
                Assert.Null(PlaceholderDetector.FindPlaceholder(content));
                var validation = StageCatalog.Get(number).Validate(content, input);
                Assert.True(validation.IsValid, $"job {job.Record.Id} stage {number}: {string.Join("; ", validation.Errors)}");
            }
        }

        // Most jobs must come through: a fault costs a retry or a re-ask, not the job.
        Assert.True(figures.Succeeded >= Jobs - 3, $"only {figures.Succeeded} of {Jobs} jobs succeeded: {string.Join(" | ", figures.Failed)}");
    }

    private static string ProviderFaultKind(string reason) => reason switch
    {
        "HTTP 500" => "http500",
        _ when reason.StartsWith("HTTP 429: capacity", StringComparison.Ordinal) => "http429",
        // A held-back answer trips the first-token limit or the total ceiling, whichever fires first (here both are 3 s).
        _ when reason.StartsWith("timeout after", StringComparison.Ordinal) || reason.StartsWith("no first token", StringComparison.Ordinal) => "timeout",
        _ when reason.StartsWith("circuit open", StringComparison.Ordinal) => "breaker",
        _ => "other",
    };

    private static string ContentFaultKind(StageAttempt attempt) => attempt switch
    {
        { FinishReason: "length" } => "truncated",
        // A placeholder in an enum field fails as a wrong value; the error quotes it.
        _ when attempt.Placeholders > 0 || attempt.Errors.Any(PlaceholderDetector.HasPlaceholder) => "placeholder",
        _ when attempt.Errors.Any(e => e.StartsWith("The reply", StringComparison.Ordinal)) => "malformed",
        _ => "other",
    };

    [GeneratedRegex(@"^Stage (\d+) \([^)]+\)")]
    private static partial Regex StageReason();


    private static async Task<List<JobSnapshot>> WaitForAllTerminalAsync(JobStore store, IEnumerable<string> ids)
    {
        // A hang fails here; a slow machine does not, as long as the batch ends within minutes.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var jobs = new List<JobSnapshot>();
        foreach (var id in ids)
        {
            var job = await store.GetAsync(id);
            while (job!.Status is not (JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled))
            {
                await Task.Delay(200, timeout.Token);
                job = await store.GetAsync(id);
            }
            jobs.Add(job);
        }
        return jobs;
    }
}
