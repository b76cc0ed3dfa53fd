using System.Text.Json.Nodes;
using MarketIntel.Api.Http;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Jobs;

public static partial class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs");

        jobs.MapPost("/", CreateJobAsync)
            .Accepts<CreateJobRequest>("application/json")
            .RequireRateLimiting(ApiRateLimits.JobSubmissionPolicy)
            .WithName("CreateJob")
            .WithSummary("Submit a research, offer or full job")
            .WithDescription("Validates the profile (and preferences) field by field, stores the job and queues it; answers 202 with its location.");

        jobs.MapGet("/", ListJobsAsync)
            .WithName("ListJobs")
            .WithSummary("Recent jobs, newest first");

        jobs.MapGet("/{id}", GetJobAsync)
            .WithName("GetJob")
            .WithSummary("Job status with per-stage status, model, attempts, latency, tokens, cost, quality and cache use");

        jobs.MapGet("/{id}/stages/{stage:int}", GetStageOutputAsync)
            .WithName("GetStageOutput")
            .WithSummary("A stage output (latest version by default; original or a version number on request) with its validation result");

        jobs.MapJobEvents();
        jobs.MapStageEdits();
        jobs.MapJobControl();
        jobs.MapJobReport();
        jobs.MapReportDraft();

        return app;
    }

    private static async Task<Results<Accepted<JobView>, ProblemHttpResult>> CreateJobAsync(
        HttpRequest request, JobStore store, IdempotencyStore idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        var idempotencyKey = request.Headers[IdempotencyStore.HeaderName].ToString();
        if (request.Headers.ContainsKey(IdempotencyStore.HeaderName) && IdempotencyStore.Validate(idempotencyKey) is { } keyError)
        {
            return JsonBody.Problem(IdempotencyStore.HeaderName, keyError);
        }
        var (body, problem) = await JsonBody.ReadAsync<CreateJobRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        var kind = ParseKind(body!.Kind, errors);
        JobSnapshot? research = null;
        if (kind == JobKind.Offer)
        {
            research = await ValidateOfferSourceAsync(body, store, errors);
        }
        else if (kind is not null)
        {
            if (body.Profile is null)
            {
                errors.Add("profile", "is required for research and full jobs.");
            }
            else
            {
                errors.AddRange(body.Profile.Validate(), "profile.");
            }
            if (body.ResearchJobId is not null)
            {
                errors.Add("researchJobId", "only applies to offer jobs.");
            }
        }
        if (kind is JobKind.Offer or JobKind.Full)
        {
            if (body.Preferences is null)
            {
                errors.Add("preferences", "are required for offer and full jobs.");
            }
            else
            {
                errors.AddRange(body.Preferences.Validate(), "preferences.");
            }
        }
        else if (kind == JobKind.Research && body.Preferences is not null)
        {
            errors.Add("preferences", "only apply to offer and full jobs; submit them with the offer job.");
        }
        if (!errors.IsEmpty)
        {
            return JsonBody.Validation(errors.ToDictionary(), "The job request is invalid.");
        }

        var record = new JobRecord
        {
            Id = JobIds.New(),
            Kind = kind!.Value,
            Profile = research?.Record.Profile ?? body.Profile!,
            Preferences = body.Preferences,
            ResearchJobId = research?.Record.Id,
            CreatedAt = time.GetUtcNow(),
            Stages = JobKinds.StagesOf(kind.Value),
        };
        if (idempotencyKey.Length > 0)
        {
            var outcome = await idempotency.ReserveAsync(idempotencyKey, PipelineJson.Serialize(body), record.Id);
            if (!outcome.Reserved)
            {
                if (!outcome.SameRequest)
                {
                    return TypedResults.Problem(
                        "This Idempotency-Key was already used for a different request.",
                        statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key reused.");
                }
                // A client retry: answer with the job the first request created.
                if (await WaitForJobAsync(store, outcome.ExistingJobId!, cancellationToken) is { } existing)
                {
                    return TypedResults.Accepted($"/api/jobs/{existing.Record.Id}", JobView.From(existing));
                }
            }
        }

        await store.CreateAsync(record);
        var job = await store.GetAsync(record.Id);
        return TypedResults.Accepted($"/api/jobs/{record.Id}", JobView.From(job!));
    }

    /// <summary>The first request may still be storing the job it reserved the key for; give it a moment.</summary>
    private static async Task<JobSnapshot?> WaitForJobAsync(JobStore store, string jobId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (await store.GetAsync(jobId) is { } job)
            {
                return job;
            }
            await Task.Delay(50, cancellationToken);
        }
        return null;
    }

    private static JobKind? ParseKind(string? kind, FieldErrors errors)
    {
        if (Enum.TryParse<JobKind>(kind, ignoreCase: false, out var parsed) || TryParseLower(kind, out parsed))
        {
            return parsed;
        }
        errors.Add("kind", "is required; one of: research, offer, full.");
        return null;
    }

    private static bool TryParseLower(string? kind, out JobKind parsed)
    {
        parsed = default;
        return kind is "research" or "offer" or "full" && Enum.TryParse(kind, ignoreCase: true, out parsed);
    }

    private static async Task<JobSnapshot?> ValidateOfferSourceAsync(CreateJobRequest body, JobStore store, FieldErrors errors)
    {
        if (body.Profile is not null)
        {
            errors.Add("profile", "comes from the research job; leave it out of an offer job.");
        }
        if (string.IsNullOrWhiteSpace(body.ResearchJobId))
        {
            errors.Add("researchJobId", "is required for an offer job.");
            return null;
        }
        if (!JobIds.IsValid(body.ResearchJobId))
        {
            errors.Add("researchJobId", "is not a job id.");
            return null;
        }
        var research = await store.GetAsync(body.ResearchJobId);
        if (research is null)
        {
            errors.Add("researchJobId", "no such job.");
            return null;
        }
        var missing = Enumerable.Range(1, 5)
            .Where(n => !research.Stages.TryGetValue(n, out var state) || state.Status != StageStatus.Succeeded)
            .ToList();
        if (missing.Count > 0)
        {
            errors.Add("researchJobId", $"the research job has not finished stages {string.Join(", ", missing)} yet.");
        }
        return research;
    }

    private static async Task<Ok<IReadOnlyList<JobView>>> ListJobsAsync(JobStore store, int? limit)
    {
        var ids = await store.ListRecentJobIdsAsync(Math.Clamp(limit ?? 50, 1, 200));
        var views = new List<JobView>();
        foreach (var id in ids)
        {
            if (await store.GetAsync(id) is { } job)
            {
                views.Add(JobView.From(job));
            }
        }
        return TypedResults.Ok<IReadOnlyList<JobView>>(views);
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetJobAsync(string id, JobStore store, JobProgressReader live)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        return TypedResults.Ok(await live.ViewAsync(job));
    }

    private static async Task<Results<Ok<StageOutputView>, ProblemHttpResult>> GetStageOutputAsync(
        string id, int stage, string? version, JobStore store)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        if (!job.Record.Stages.Contains(stage))
        {
            return NoSuchStage(job, stage);
        }
        var number = 0;
        var output = version switch
        {
            null or "" or "latest" => await store.GetLatestOutputAsync(id, stage),
            "original" => await store.GetOriginalOutputAsync(id, stage),
            _ when TryParseVersion(version, out number) => await store.GetOutputVersionAsync(id, stage, number),
            _ => null,
        };
        if (output is null)
        {
            return version switch
            {
                null or "" or "latest" or "original" => TypedResults.Problem($"Stage {stage} of job {id} has no output yet.",
                    statusCode: StatusCodes.Status404NotFound, title: "No output yet."),
                _ when number > 0 => TypedResults.Problem($"Stage {stage} of job {id} has no version {number}.",
                    statusCode: StatusCodes.Status404NotFound, title: "No such version."),
                _ => JsonBody.Problem("version", "must be 'latest', 'original' or a version number (1 = the model's original)."),
            };
        }
        return TypedResults.Ok(ToView(StageCatalog.Get(stage), output, await store.CountOutputVersionsAsync(id, stage)));
    }

    internal static ProblemHttpResult JobNotFound(string id) =>
        TypedResults.Problem($"There is no job '{Http.Text.Truncate(id)}'.", statusCode: StatusCodes.Status404NotFound, title: "Job not found.");
}

/// <summary>Job ids are 32 lowercase hex digits; anything else is rejected before it gets near a Redis key.</summary>
public static class JobIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string? id) => id is { Length: 32 } && Guid.TryParseExact(id, "N", out _) && id.All(c => !char.IsUpper(c));
}
