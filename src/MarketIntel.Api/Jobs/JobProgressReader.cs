using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Jobs;

/// <summary>
/// The live part of a job view: each running stage's streamed tokens against its budget, and the time the job still
/// needs (docs/real-speed.md). Pending stages are estimated on the model and budget the active routing gives them.
/// </summary>
public sealed class JobProgressReader(JobStore store, RoutingStore routing, IOptions<ModelCatalogOptions> catalog, TimeProvider time)
{
    private static readonly StageStatus[] Active = [StageStatus.Running, StageStatus.Retrying, StageStatus.Fallback];

    public async Task<JobView> ViewAsync(JobSnapshot job)
    {
        if (JobEventStream.IsTerminal(job.Status))
        {
            return JobView.From(job);
        }
        var progress = await store.GetProgressAsync(job.Record.Id);
        return JobView.From(job, Running(job, progress), await EstimateAsync(job, progress));
    }

    /// <summary>Progress of the stages running now; progress left from an earlier run of a stage is not theirs.</summary>
    public static IReadOnlyDictionary<int, StageProgress> Running(JobSnapshot job, IReadOnlyDictionary<int, StageProgress> progress) =>
        progress
            .Where(p => job.Stages.TryGetValue(p.Key, out var state) && Active.Contains(state.Status)
                && (state.StartedAt is not { } started || p.Value.UpdatedAt >= started))
            .ToDictionary(p => p.Key, p => p.Value);

    public async Task<JobEstimateView?> EstimateAsync(JobSnapshot job, IReadOnlyDictionary<int, StageProgress> progress)
    {
        if (JobEventStream.IsTerminal(job.Status))
        {
            return null;
        }
        var document = await routing.GetActiveAsync();
        var running = Running(job, progress);
        var work = new List<StageWork>();
        foreach (var number in job.Record.Stages)
        {
            var state = job.Stages.GetValueOrDefault(number);
            var done = state is { Status: StageStatus.Succeeded or StageStatus.Failed or StageStatus.Skipped or StageStatus.Cancelled };
            if (running.TryGetValue(number, out var live))
            {
                var model = catalog.Value.Find(live.Model);
                work.Add(new StageWork(number, done, model?.Throughput ?? new ModelThroughput { TokensPerSecond = live.TokensPerSecond }, live.MaxTokens, live.TokensOut));
                continue;
            }
            var route = document.Stages.GetValueOrDefault(number);
            var spec = route is null ? null : catalog.Value.Find(state?.Model ?? route.Stable);
            var stage = StageCatalog.Get(number);
            var budget = Math.Min(route?.WantedTokens(stage) ?? stage.DefaultMaxTokens, spec?.MaxOutputTokens ?? int.MaxValue);
            work.Add(new StageWork(number, done, spec?.Throughput ?? new ModelThroughput(), budget));
        }
        return new JobEstimateView(Math.Round(JobTimeEstimate.Remaining(work).TotalSeconds), time.GetUtcNow());
    }
}
