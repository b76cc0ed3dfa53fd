using MarketIntel.Api.Http;
using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MarketIntel.Api.Jobs;

public static partial class JobsApi
{
    private static IEndpointRouteBuilder MapJobEvents(this IEndpointRouteBuilder jobs)
    {
        jobs.MapGet("/{id}/events", GetEventsAsync)
            .WithName("GetJobEvents")
            .WithSummary("Progress events as Server-Sent Events, resumable with Last-Event-ID")
            .WithDescription("Replays the job's events from its Redis stream (after Last-Event-ID, or the lastEventId query " +
                "parameter, when given), then follows new ones until the job is terminal. id = stream entry id, " +
                "event = stage or job, data = the event JSON; a comment line every 15 s keeps the connection alive.");
        return jobs;
    }

    private static async Task<Results<JobEventStream, ProblemHttpResult>> GetEventsAsync(
        string id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventIdHeader,
        [FromQuery(Name = "lastEventId")] string? lastEventId,
        JobStore store)
    {
        if (!JobIds.IsValid(id))
        {
            return JobNotFound(id);
        }
        var (field, after) = !string.IsNullOrEmpty(lastEventIdHeader)
            ? ("Last-Event-ID", lastEventIdHeader.Trim())
            : ("lastEventId", string.IsNullOrEmpty(lastEventId) ? "0-0" : lastEventId.Trim());
        if (!JobEventStream.IsValidEventId(after))
        {
            return JsonBody.Problem(field, "must be the id of an event of this stream (e.g. 1700000000000-0).");
        }
        if (await store.GetAsync(id) is null)
        {
            return JobNotFound(id);
        }
        return new JobEventStream(id, after);
    }
}
