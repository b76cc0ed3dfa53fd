using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages.ReportSynthesis;

namespace MarketIntel.Bench.App;

/// <summary>The parts of the api's job view the benchmark reads.</summary>
internal sealed record JobResult(string Id, string Status, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, IReadOnlyList<StageResult> Stages)
{
    public bool Succeeded => Status == "succeeded";

    public bool IsTerminal => Status is "succeeded" or "failed" or "cancelled";

    /// <summary>From the api accepting the job to the worker finishing it (server clocks, one machine).</summary>
    public TimeSpan WallTime => FinishedAt!.Value - CreatedAt;
}

internal sealed record StageResult(int Stage, string Status, bool Cached, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    double? DurationMs, IReadOnlyList<AttemptResult> Attempts, ProgressResult? Progress)
{
    /// <summary>
    /// Time spent waiting for the model for this stage's own output (shadow calls run beside it). A sectioned stage (the
    /// report, docs/report.md) writes its sections side by side, then the summary: its chain is the longest section's
    /// calls plus the summary's, not the sum of all its calls.
    /// </summary>
    public TimeSpan ModelTime
    {
        get
        {
            var calls = Attempts.Where(a => a.Route != "shadow" && !a.CacheHit).ToList();
            var sideBySide = calls.Where(a => a.Section is not null and not ReportPlan.SummaryKey)
                .GroupBy(a => a.Section).Select(section => section.Sum(a => a.DurationMs)).DefaultIfEmpty(0).Max();
            var inTurn = calls.Where(a => a.Section is null or ReportPlan.SummaryKey).Sum(a => a.DurationMs);
            return TimeSpan.FromMilliseconds(sideBySide + inTurn);
        }
    }
}

/// <summary>One model call; <paramref name="Section"/> is the report section it wrote (null for a whole-stage answer);
/// <paramref name="RetryReasons"/> and <paramref name="Errors"/> say why it was retried or failed ("timeout", "stream stalled", ...).</summary>
internal sealed record AttemptResult(string Route, string? Section, string Outcome, double DurationMs, bool CacheHit, int Retries,
    IReadOnlyList<string> RetryReasons, IReadOnlyList<string> Errors);

/// <summary>A running stage's streamed tokens so far, stamped by the worker that wrote them.</summary>
internal sealed record ProgressResult(long TokensOut, int MaxTokens, DateTimeOffset UpdatedAt);

/// <summary>Submits full jobs to the api and waits for them by polling their view.</summary>
internal sealed class JobClient(HttpClient api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>A full job at the real models' speed takes about ten minutes; three at once on a busy machine, longer.</summary>
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(30);

    /// <summary>A full job (stages 1-13) for <paramref name="sample"/>; a distinct <paramref name="variant"/> makes
    /// distinct inputs, so nothing comes from the stage cache.</summary>
    public async Task<string> SubmitAsync(SampleProfile sample, int variant)
    {
        var profile = sample.Profile with { BusinessName = $"{sample.Profile.BusinessName} {variant}" };
        var body = new JsonObject
        {
            ["kind"] = "full",
            ["profile"] = PipelineJson.ToNode(profile),
            ["preferences"] = PipelineJson.ToNode(sample.Preferences),
        };
        using var response = await api.PostAsJsonAsync("/api/jobs", body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/jobs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        var job = await response.Content.ReadFromJsonAsync<JobResult>(Json);
        return job!.Id;
    }

    public async Task<JobResult> GetAsync(string id) =>
        await api.GetFromJsonAsync<JobResult>($"/api/jobs/{id}", Json) ?? throw new InvalidOperationException($"Job {id} not found.");

    /// <summary>Polls until the job is terminal, showing <paramref name="onPoll"/> every view on the way; a failed job stops
    /// the benchmark, since its timings would mislead.</summary>
    public async Task<JobResult> WaitAsync(string id, TimeSpan pollInterval, Action<JobResult>? onPoll = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var job = await GetAsync(id);
            onPoll?.Invoke(job);
            if (job.IsTerminal)
            {
                return job.Succeeded ? job : throw new InvalidOperationException($"Job {id} ended {job.Status}: {job.Error}");
            }
            if (deadline.Elapsed > JobTimeout)
            {
                throw new TimeoutException($"Job {id} still {job.Status} after {JobTimeout.TotalMinutes} minutes.");
            }
            await Task.Delay(pollInterval);
        }
    }

    /// <summary>Submits and waits, returning the job and the client's own end-to-end time (POST sent → terminal seen).</summary>
    public async Task<(JobResult Job, TimeSpan EndToEnd)> RunAsync(SampleProfile sample, int variant, TimeSpan pollInterval)
    {
        var clock = Stopwatch.StartNew();
        var id = await SubmitAsync(sample, variant);
        var job = await WaitAsync(id, pollInterval);
        return (job, clock.Elapsed);
    }
}
