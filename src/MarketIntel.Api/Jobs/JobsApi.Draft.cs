using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Jobs;

public static partial class JobsApi
{
    private static IEndpointRouteBuilder MapReportDraft(this IEndpointRouteBuilder jobs)
    {
        jobs.MapGet("/{id}/report/draft", GetReportDraftAsync)
            .WithName("GetJobReportDraft")
            .WithSummary("The report as far as it has been written while stage 6 streams (plain text, not yet validated)")
            .WithDescription("404 when no report is being written. The text is the model's raw output so far: show it as text only.");
        return jobs;
    }

    private static async Task<Results<Ok<ReportDraftView>, ProblemHttpResult>> GetReportDraftAsync(string id, JobStore store)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        // Running() keeps only the progress of a stage that is running now, so no older draft is served.
        var progress = JobProgressReader.Running(job, await store.GetProgressAsync(id)).GetValueOrDefault(ReportStage);
        if (progress is null || await store.GetDraftAsync(id, ReportStage) is not { } text)
        {
            return TypedResults.Problem($"Job {id} is not writing its report now.", statusCode: StatusCodes.Status404NotFound, title: "No report being written.");
        }
        return TypedResults.Ok(new ReportDraftView(text, StageProgressView.From(progress)));
    }
}

/// <summary>The report being written: the model's text so far (unvalidated; text only) and how far the call has got.</summary>
public sealed record ReportDraftView(string Text, StageProgressView Progress);
