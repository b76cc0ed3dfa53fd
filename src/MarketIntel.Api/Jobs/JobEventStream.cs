using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Jobs;

/// <summary>
/// Server-Sent Events from a job's Redis event stream: <c>id:</c> is the stream entry id (so a reconnecting client's
/// <c>Last-Event-ID</c> resumes right after it), <c>event:</c> the event type, <c>data:</c> the event as JSON. Polls the
/// stream until the job is terminal and every event is sent (or the api stops), with a comment heartbeat while nothing
/// happens. Between them, <c>progress</c> events (no id: they are a live view, not history) carry each streaming stage's
/// tokens so far and the job's time left, whenever a worker has written new progress (docs/real-speed.md).
/// </summary>
/// <remarks>
/// Written by hand rather than with <c>TypedResults.ServerSentEvents</c>: that result has no way to write comment
/// lines (the heartbeat) or to end the stream on a condition checked between polls without an extra event.
/// </remarks>
public sealed partial class JobEventStream(string jobId, string afterId) : IResult, IEndpointMetadataProvider
{
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public static TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconnection delay suggested to the client.</summary>
    private const int RetryMilliseconds = 2000;

    private const int BatchSize = 200;

    /// <summary>A Redis stream entry id ("1700000000000-0"); "0" or "0-0" means from the start.</summary>
    public static bool IsValidEventId(string id) => id.Length <= 41 && StreamIdPattern().IsMatch(id);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var store = httpContext.RequestServices.GetRequiredService<JobStore>();
        var live = httpContext.RequestServices.GetRequiredService<JobProgressReader>();
        var progressSent = new Dictionary<int, DateTimeOffset>();
        var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var time = httpContext.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var response = httpContext.Response;
        var aborted = httpContext.RequestAborted;
        // A stopping api ends the stream between events, so shutdown is not held up until its timeout cuts the stream
        // mid-event; the client reconnects with Last-Event-ID and misses nothing. Writes stop only for the client.
        var stopping = httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            await WriteAsync(response, $"retry: {RetryMilliseconds}\n\n", aborted);
            var last = afterId == "0" ? "0-0" : afterId;
            var lastWrite = time.GetTimestamp();
            var quietTerminalPolls = 0;
            while (!ended.IsCancellationRequested)
            {
                var events = await store.ReadEventsAsync(jobId, last, BatchSize);
                if (events.Count > 0)
                {
                    var text = new StringBuilder();
                    foreach (var (id, jobEvent) in events)
                    {
                        text.Append("id: ").Append(id).Append('\n')
                            .Append("event: ").Append(SingleLine(jobEvent.Type)).Append('\n')
                            .Append("data: ").Append(JsonSerializer.Serialize(jobEvent, json)).Append("\n\n");
                        last = id;
                    }
                    await WriteAsync(response, text.ToString(), aborted);
                    lastWrite = time.GetTimestamp();
                    quietTerminalPolls = 0;
                    if (events.Count == BatchSize)
                    {
                        continue;
                    }
                }

                // The status is set before its event is appended: a terminal status with no new event is trusted only
                // on the second quiet poll, so the final "job" event is never cut off.
                var job = await store.GetAsync(jobId);
                if (job is null)
                {
                    return;
                }
                if (IsTerminal(job.Status) && events.Count == 0 && ++quietTerminalPolls >= 2)
                {
                    return;
                }
                if (!IsTerminal(job.Status) && await ProgressAsync(store, live, job, progressSent, json) is { Length: > 0 } progress)
                {
                    await WriteAsync(response, progress, aborted);
                    lastWrite = time.GetTimestamp();
                }

                if (time.GetElapsedTime(lastWrite) >= HeartbeatInterval)
                {
                    await WriteAsync(response, ": heartbeat\n\n", aborted);
                    lastWrite = time.GetTimestamp();
                }
                await Task.Delay(PollInterval, time, ended.Token);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The client went away, or the api is stopping.
        }
    }

    /// <summary>Progress events for the stages whose progress changed since it was last sent; empty when none did.</summary>
    private static async Task<string> ProgressAsync(
        JobStore store, JobProgressReader live, JobSnapshot job, Dictionary<int, DateTimeOffset> sent, JsonSerializerOptions json)
    {
        var progress = await store.GetProgressAsync(job.Record.Id);
        var changed = JobProgressReader.Running(job, progress).Values
            .Where(p => !sent.TryGetValue(p.Stage, out var at) || p.UpdatedAt > at)
            .ToList();
        if (changed.Count == 0)
        {
            return "";
        }
        var estimate = await live.EstimateAsync(job, progress);
        var text = new StringBuilder();
        foreach (var stage in changed)
        {
            sent[stage.Stage] = stage.UpdatedAt;
            var view = StageProgressView.From(stage);
            var data = new StageProgressEvent(stage.Stage, view.TokensOut, view.MaxTokens, view.Percent, estimate?.SecondsLeft, view.UpdatedAt);
            text.Append("event: progress\n").Append("data: ").Append(JsonSerializer.Serialize(data, json)).Append("\n\n");
        }
        return text.ToString();
    }

    internal static bool IsTerminal(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static string SingleLine(string value) => value.ReplaceLineEndings(" ");

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(JobEvent), ["text/event-stream"]));

    [GeneratedRegex("^(0|[0-9]{1,20}-[0-9]{1,20})$", RegexOptions.CultureInvariant)]
    private static partial Regex StreamIdPattern();
}

/// <summary>A <c>progress</c> event: one streaming stage's tokens so far, and the job's estimated seconds left.</summary>
public sealed record StageProgressEvent(int Stage, long TokensOut, int MaxTokens, double Percent, double? SecondsLeft, DateTimeOffset UpdatedAt);
