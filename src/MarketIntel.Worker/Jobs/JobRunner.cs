using System.Diagnostics;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using MarketIntel.Worker.Stages;

namespace MarketIntel.Worker.Jobs;

/// <summary>
/// Runs a job's stages as a DAG (docs/architecture.md §2.3): every stage whose inputs are ready starts at once. Resumable: stages that
/// already succeeded (in this or an earlier run of the job) are taken from their stored output, never run again.
/// </summary>
public sealed class JobRunner(JobStore store, StageRunner stages, PipelineTelemetry telemetry, TimeProvider time, ILogger<JobRunner> logger)
{
    /// <summary>How often a running job checks for a cancel request.</summary>
    private static readonly TimeSpan CancelPollInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="leaseOwner">The worker holding the job's lease: stage outputs are stored only while it still does.</param>
    public async Task RunAsync(string jobId, CancellationToken stoppingToken, string? leaseOwner = null)
    {
        var job = await store.GetAsync(jobId);
        if (job is null)
        {
            logger.LogWarning("Job {JobId} was queued but is not stored; dropping it", jobId);
            return;
        }
        if (job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled)
        {
            return;
        }
        if (job.CancelRequested)
        {
            await CancelAsync(job);
            return;
        }

        // One trace per job: the worker's spans continue the trace of the request that created the job.
        ActivityContext.TryParse(job.Record.TraceParent, null, out var parent);
        using var activity = PipelineTelemetry.Source.StartActivity(
            $"job {job.Record.Kind.ToString().ToLowerInvariant()}", ActivityKind.Consumer, parent);
        activity?.SetTag("marketintel.job_id", jobId);
        activity?.SetTag("marketintel.job_kind", job.Record.Kind.ToString().ToLowerInvariant());
        using var jobScope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId });

        if (job.Status == JobStatus.Queued)
        {
            await store.SetStatusAsync(jobId, JobStatus.Running);
        }

        var outputs = new Dictionary<int, string>();
        if (job.Record.Kind == JobKind.Offer && await LoadResearchAsync(job.Record, outputs) is { } missing)
        {
            await store.SetStatusAsync(jobId, JobStatus.Failed, missing);
            return;
        }

        var finished = new HashSet<int>();
        foreach (var (number, state) in job.Stages.Where(s => s.Value.Status == StageStatus.Succeeded))
        {
            if (await store.GetLatestOutputAsync(jobId, number) is { } output)
            {
                outputs[number] = output.Content;
                finished.Add(number);
            }
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var cancelWatch = WatchForCancelAsync(jobId, cancel);
        try
        {
            var failure = await RunGraphAsync(job, outputs, finished, cancel, leaseOwner);
            if (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: leave the job as it is; another worker claims it and resumes from the finished stages.
                return;
            }
            if (await store.IsCancelRequestedAsync(jobId))
            {
                await CancelAsync(await store.GetAsync(jobId) ?? job);
            }
            else if (failure is not null)
            {
                await SkipRemainingAsync(jobId, job.Record.Stages, finished);
                await store.SetStatusAsync(jobId, JobStatus.Failed, failure);
            }
            else
            {
                await store.SetStatusAsync(jobId, JobStatus.Succeeded);
            }
        }
        finally
        {
            await cancel.CancelAsync();
            await cancelWatch;
        }
    }

    /// <summary>Runs ready stages concurrently until all are done or one fails; returns the failure reason, if any.</summary>
    private async Task<string?> RunGraphAsync(JobSnapshot job, Dictionary<int, string> outputs, HashSet<int> finished, CancellationTokenSource cancel, string? leaseOwner)
    {
        var cancellationToken = cancel.Token;
        var jobStages = job.Record.Stages;
        var running = new Dictionary<int, Task<StageRunResult>>();
        string? failure = null;

        while (true)
        {
            if (failure is null && !cancellationToken.IsCancellationRequested)
            {
                foreach (var number in StageGraph.Ready(jobStages, finished, running.Keys.ToHashSet()))
                {
                    var input = new StageInput(job.Record.Profile, job.Record.Preferences, new Dictionary<int, string>(outputs));
                    running[number] = RunStageAsync(job.Record.Id, StageCatalog.Get(number), input, leaseOwner, cancellationToken);
                }
            }
            if (running.Count == 0)
            {
                return failure;
            }

            var done = await Task.WhenAny(running.Values);
            var stageNumber = running.Single(p => p.Value == done).Key;
            running.Remove(stageNumber);
            try
            {
                var result = await done;
                outputs[stageNumber] = result.Content;
                finished.Add(stageNumber);
            }
            catch (StageFailedException e)
            {
                failure ??= e.Message;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                failure ??= "cancelled";
            }
            catch (Exception)
            {
                // Not the stage's fault (Redis unreachable, ...): stop the sibling stages and let them settle before the
                // job is given up here, so none of them writes after another worker has claimed the job.
                await cancel.CancelAsync();
                await Task.WhenAll(running.Values).ContinueWith(_ => { }, TaskScheduler.Default);
                throw;
            }
        }
    }

    private async Task<StageRunResult> RunStageAsync(string jobId, IStage stage, StageInput input, string? leaseOwner, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var state = new StageState { Stage = stage.Number, Name = stage.Name, StartedAt = started };
        var request = new StageRunRequest(jobId, stage, input)
        {
            OnProgress = (status, model, route, attempts) =>
            {
                state = state with { Status = status, Model = model, Route = route, Attempts = attempts };
                return store.SetStageAsync(jobId, state);
            },
            OnStreaming = (progress, draft) => store.SetProgressAsync(jobId, progress, draft),
        };

        try
        {
            var result = await stages.RunAsync(request, cancellationToken);
            state = state with
            {
                Status = StageStatus.Succeeded,
                Model = result.Model,
                Route = result.Route,
                Cached = result.Cached,
                QualityScore = result.Validation.QualityScore,
                Attempts = result.Attempts,
                FinishedAt = time.GetUtcNow(),
                Error = null,
            };
            // Output and state in one transaction: a crash leaves either both or neither.
            await store.CompleteStageAsync(jobId, state, version => new StageOutputVersion
            {
                Version = version,
                Source = OutputSource.Model,
                CreatedAt = time.GetUtcNow(),
                Content = result.Content,
                Validation = result.Validation,
                Model = result.Model,
            }, leaseOwner);
            telemetry.StageCompleted(stage.Number, result.Model, result.Route, time.GetUtcNow() - started, succeeded: true);
            return result;
        }
        catch (StageFailedException e)
        {
            state = state with { Status = StageStatus.Failed, Error = e.Message, Attempts = e.Attempts, FinishedAt = time.GetUtcNow() };
            await store.SetStageAsync(jobId, state);
            telemetry.StageCompleted(stage.Number, state.Model ?? "none", state.Route ?? RouteKind.Stable, time.GetUtcNow() - started, succeeded: false);
            throw;
        }
        catch (StageInputException e)
        {
            state = state with { Status = StageStatus.Failed, Error = e.Message, FinishedAt = time.GetUtcNow() };
            await store.SetStageAsync(jobId, state);
            throw new StageFailedException(e.Message, []);
        }
    }

    /// <summary>An offer job reads the latest (possibly edited) research outputs of its research job.</summary>
    private async Task<string?> LoadResearchAsync(JobRecord record, Dictionary<int, string> outputs)
    {
        if (record.ResearchJobId is not { } researchJobId)
        {
            return "An offer job needs a research job.";
        }
        foreach (var stage in Enumerable.Range(1, 5))
        {
            var output = await store.GetLatestOutputAsync(researchJobId, stage);
            if (output is null)
            {
                return $"Research job {researchJobId} has no output for stage {stage}.";
            }
            outputs[stage] = output.Content;
        }
        return null;
    }

    private async Task SkipRemainingAsync(string jobId, IReadOnlyList<int> jobStages, HashSet<int> finished)
    {
        var states = await store.GetStagesAsync(jobId);
        foreach (var number in jobStages.Where(n => !finished.Contains(n)))
        {
            if (states.TryGetValue(number, out var state) && state.Status == StageStatus.Pending)
            {
                await store.SetStageAsync(jobId, state with { Status = StageStatus.Skipped, Error = "An earlier stage failed." });
            }
        }
    }

    private async Task CancelAsync(JobSnapshot job)
    {
        foreach (var state in job.Stages.Values.Where(s => s.Status is not StageStatus.Succeeded and not StageStatus.Failed))
        {
            await store.SetStageAsync(job.Record.Id, state with { Status = StageStatus.Cancelled });
        }
        await store.SetStatusAsync(job.Record.Id, JobStatus.Cancelled, "Cancelled by the user.");
    }

    private async Task WatchForCancelAsync(string jobId, CancellationTokenSource cancel)
    {
        // Outside the job's trace: a Redis check every 250 ms would bury the stage spans. (An async method's change to
        // Activity.Current does not reach its caller.)
        Activity.Current = null;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(CancelPollInterval, time, cancel.Token);
                if (await store.IsCancelRequestedAsync(jobId))
                {
                    await cancel.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job finished or was cancelled.
        }
    }
}
