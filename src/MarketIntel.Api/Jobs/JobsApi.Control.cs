using MarketIntel.Pipeline.Jobs;
using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Jobs;

public static partial class JobsApi
{
    private static IEndpointRouteBuilder MapJobControl(this IEndpointRouteBuilder jobs)
    {
        jobs.MapPost("/{id}/rerun", RerunJobAsync)
            .WithName("RerunJob")
            .WithSummary("Re-run the stale (and failed) stages of a finished research or full job")
            .WithDescription("Sets the stale stages (and, after a failure, the failed and skipped ones) back to pending and " +
                "queues the job again. The worker keeps every other finished stage, including edited ones, and runs the " +
                "rest from the latest outputs; the stage cache decides whether a model is called.");

        jobs.MapPost("/{id}/cancel", CancelJobAsync)
            .WithName("CancelJob")
            .WithSummary("Ask for a queued or running job to be cancelled")
            .WithDescription("The worker stops at the next stage boundary or model call; answers 202 with the job as it is now.");
        return jobs;
    }

    private static async Task<Results<Accepted<JobView>, ProblemHttpResult>> RerunJobAsync(string id, JobStore store)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        if (job.Record.Kind == JobKind.Offer)
        {
            return Conflict("Offer jobs cannot be re-run; edit the research job and submit a new offer job.", "Offer jobs cannot be re-run.");
        }
        if (job.Status is not (JobStatus.Succeeded or JobStatus.Failed))
        {
            return Conflict($"Job {id} is {job.Status.ToString().ToLowerInvariant()}; only a succeeded or failed job can be re-run.",
                "The job cannot be re-run now.");
        }

        var reset = job.Record.Stages
            .Where(job.Stages.ContainsKey)
            .Select(n => job.Stages[n])
            .Where(s => s.Stale || (s.Status != StageStatus.Succeeded && job.Status == JobStatus.Failed))
            .Select(s => new StageState { Stage = s.Stage, Name = s.Name })
            .ToList();
        if (reset.Count == 0)
        {
            return Conflict($"No stage of job {id} is stale; edit a research output first.", "Nothing to re-run.");
        }

        await store.PutStagesAsync(id, reset);
        await store.AppendEventAsync(id, new JobEvent
        {
            Type = "job",
            Status = job.Status.ToString(),
            Message = $"Re-running stages {string.Join(", ", reset.Select(s => s.Stage))}.",
            At = store.Time.GetUtcNow(),
        });
        await store.RequeueAsync(id);
        return TypedResults.Accepted($"/api/jobs/{id}", JobView.From((await store.GetAsync(id))!));
    }

    private static async Task<Results<Accepted<JobView>, ProblemHttpResult>> CancelJobAsync(string id, JobStore store)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        if (JobEventStream.IsTerminal(job.Status))
        {
            return Conflict($"Job {id} has already {(job.Status == JobStatus.Cancelled ? "been cancelled" : job.Status.ToString().ToLowerInvariant())}.",
                "The job has already finished.");
        }
        if (!job.CancelRequested)
        {
            await store.RequestCancelAsync(id);
            await store.AppendEventAsync(id, new JobEvent
            {
                Type = "job",
                Status = job.Status.ToString(),
                Message = "Cancellation requested.",
                At = store.Time.GetUtcNow(),
            });
        }
        return TypedResults.Accepted($"/api/jobs/{id}", JobView.From((await store.GetAsync(id))!));
    }

    private static ProblemHttpResult Conflict(string detail, string title) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);
}
