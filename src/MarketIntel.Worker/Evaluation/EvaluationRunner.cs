using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using MarketIntel.Pipeline.Evaluation;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using MarketIntel.Worker.Stages;
using Microsoft.Extensions.Options;

namespace MarketIntel.Worker.Evaluation;

public sealed class EvaluationRunnerOptions
{
    public const string SectionName = "Evaluation:Runner";

    /// <summary>Trials (sample × trial) run at once; inside a trial, independent stages also run concurrently.</summary>
    [Range(1, 64)]
    public int MaxConcurrentTrials { get; init; } = 2;
}

/// <summary>
/// Runs an evaluation (docs/architecture.md §5): every sample of the suite (or the requested subset) through all stages in DAG order,
/// N trials each, through the same <see cref="StageRunner"/> that serves users, with the cache bypassed and the routing
/// of the request (baseline = the active routing's stable models). A stage that fails counts as an error of that
/// stage; the stages that read it are skipped in that trial and counted as not run. Queued on the job stream and run by
/// <see cref="Jobs.JobQueueConsumer"/>; a worker that dies mid-run leaves the entry pending and the run restarts.
/// </summary>
public sealed class EvaluationRunner(
    EvaluationStore store,
    RoutingStore routing,
    StageRunner stages,
    IOptions<EvaluationRunnerOptions> options,
    TimeProvider time,
    ILogger<EvaluationRunner> logger)
{
    public async Task RunAsync(string id, CancellationToken stoppingToken)
    {
        var snapshot = await store.GetAsync(id);
        if (snapshot is null)
        {
            logger.LogWarning("Evaluation {EvaluationId} was queued but is not stored; dropping it", id);
            return;
        }
        if (snapshot.Status is EvaluationStatus.Succeeded or EvaluationStatus.Failed)
        {
            return;
        }

        var request = snapshot.Request;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["EvaluationId"] = id });
        var started = time.GetTimestamp();
        try
        {
            RoutingDocument document;
            int? routingVersion = null;
            if (request.Routing is null)
            {
                var active = await routing.GetActiveAsync();
                document = EvaluationRouting.StableOnly(active);
                routingVersion = active.Version;
            }
            else
            {
                document = EvaluationRouting.WithoutShadows(request.Routing);
            }

            var samples = request.Samples.Count == 0 ? SampleSuite.LoadAll() : request.Samples.Select(SampleSuite.Get).ToList();
            var stageNumbers = StageCatalog.All.Select(s => s.Number).Where(document.Stages.ContainsKey).ToList();
            var trials = samples.SelectMany((sample, s) => Enumerable.Range(1, request.Trials).Select(t => (Sample: sample, Index: s, Trial: t))).ToList();
            var attempt = await store.StartAsync(id, trials.Count * stageNumbers.Count);
            logger.LogInformation("Evaluation {EvaluationId}: {Samples} samples × {Trials} trials × {Stages} stages", id, samples.Count, request.Trials, stageNumbers.Count);

            var observations = new ConcurrentBag<StageRunObservation>();
            await Parallel.ForEachAsync(trials,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentTrials, CancellationToken = stoppingToken },
                async (trial, ct) =>
                {
                    var runId = $"eval:{id}:{trial.Index}:{trial.Trial}";
                    var input = (trial.Sample.Profile, trial.Sample.Preferences);
                    foreach (var observation in await RunTrialAsync(id, attempt, runId, document, stageNumbers, input, ct))
                    {
                        observations.Add(observation);
                    }
                    await store.ProgressAsync(id, attempt, 0, $"Trial {trial.Trial} of sample {trial.Sample.Id} done.");
                });

            var all = observations.ToList();
            var metrics = stageNumbers
                .Select(n => StageMetricsBuilder.Build(n, StageCatalog.Get(n).Name, all.Where(o => o.Stage == n).ToList()))
                .ToList();
            var result = new EvaluationResult
            {
                Id = id,
                Kind = request.Kind,
                Phase = request.Phase,
                CreatedAt = request.CreatedAt,
                FinishedAt = time.GetUtcNow(),
                RoutingVersion = routingVersion,
                Routing = document,
                Trials = request.Trials,
                Samples = samples.Select(s => s.Id).ToList(),
                Stages = metrics,
                Totals = EvaluationTotals.Of(metrics, Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1)),
            };
            await store.CompleteAsync(id, attempt, result);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or KeyNotFoundException)
        {
            logger.LogError(e, "Evaluation {EvaluationId} cannot run", id);
            await store.FailAsync(id, e.Message);
        }
    }

    /// <summary>One sample once through the DAG; ready stages run concurrently, a failure skips what reads it.</summary>
    private async Task<IReadOnlyList<StageRunObservation>> RunTrialAsync(
        string evaluationId, long attempt, string runId, RoutingDocument document, IReadOnlyList<int> stageNumbers,
        (Pipeline.Profiles.BusinessProfile Profile, Pipeline.Profiles.OfferPreferences Preferences) sample, CancellationToken cancellationToken)
    {
        var outputs = new Dictionary<int, string>();
        var finished = new HashSet<int>();
        var failed = new HashSet<int>();
        var observations = new List<StageRunObservation>();
        var running = new Dictionary<int, Task<(StageRunObservation Observation, string? Content)>>();

        while (true)
        {
            foreach (var number in StageGraph.Ready(stageNumbers, finished, running.Keys.Concat(failed).ToHashSet()))
            {
                if (StageCatalog.Get(number).Reads.Any(failed.Contains))
                {
                    continue;
                }
                var input = new StageInput(sample.Profile, sample.Preferences, new Dictionary<int, string>(outputs));
                running[number] = RunStageAsync(runId, StageCatalog.Get(number), input, document, cancellationToken);
            }
            if (running.Count == 0)
            {
                break;
            }
            var done = await Task.WhenAny(running.Values);
            var stage = running.Single(p => p.Value == done).Key;
            running.Remove(stage);
            var (observation, content) = await done;
            observations.Add(observation);
            if (observation.Succeeded)
            {
                outputs[stage] = content!;
                finished.Add(stage);
            }
            else
            {
                failed.Add(stage);
            }
            await store.ProgressAsync(evaluationId, attempt, 1, observation.Succeeded ? null : $"{runId} stage {stage} failed: {observation.Error}");
        }

        var notRun = stageNumbers.Where(n => !finished.Contains(n) && !failed.Contains(n)).ToList();
        observations.AddRange(notRun.Select(n => new StageRunObservation { Stage = n, NotRun = true }));
        if (notRun.Count > 0)
        {
            await store.ProgressAsync(evaluationId, attempt, notRun.Count, $"{runId} stages {string.Join(", ", notRun)} not run: an upstream stage failed.");
        }
        return observations;
    }

    private async Task<(StageRunObservation Observation, string? Content)> RunStageAsync(
        string runId, IStage stage, StageInput input, RoutingDocument document, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var request = new StageRunRequest(runId, stage, input, BypassCache: true) { Routing = document };
        try
        {
            var result = await stages.RunAsync(request, cancellationToken);
            var observation = Observe(stage.Number, result.Attempts, time.GetElapsedTime(started)) with
            {
                Succeeded = true,
                QualityScore = result.Validation.QualityScore,
            };
            return (observation, result.Content);
        }
        catch (StageFailedException e)
        {
            return (Observe(stage.Number, e.Attempts, time.GetElapsedTime(started)) with { Error = e.Message }, null);
        }
        catch (StageInputException e)
        {
            return (new StageRunObservation { Stage = stage.Number, DurationMs = time.GetElapsedTime(started).TotalMilliseconds, Error = e.Message }, null);
        }
    }

    private static StageRunObservation Observe(int stage, IReadOnlyList<StageAttempt> all, TimeSpan elapsed)
    {
        var attempts = all.Where(a => a.Route != RouteKind.Shadow).ToList();
        return new StageRunObservation
        {
            Stage = stage,
            DurationMs = elapsed.TotalMilliseconds,
            Models = attempts.Select(a => a.Model).Distinct(StringComparer.Ordinal).ToList(),
            TokensIn = attempts.Sum(a => a.TokensIn),
            TokensOut = attempts.Sum(a => a.TokensOut),
            Cost = attempts.Sum(a => a.Cost),
            Placeholders = attempts.Sum(a => a.Placeholders),
            EmptyFields = attempts.Sum(a => a.EmptyFields),
            Retries = attempts.Sum(a => a.Retries),
            Fallback = attempts.Any(a => a.Fallback),
            Reasks = attempts.Count(a => a.Reask),
        };
    }
}
