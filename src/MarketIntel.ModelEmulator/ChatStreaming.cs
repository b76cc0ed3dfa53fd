using System.Text.Json;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// <c>stream: true</c>: the answer as server-sent <c>chat.completion.chunk</c> events, the first after the time to first
/// token and each of the rest flushed as the model "generates" it at the profile's speed, then usage (when
/// <c>stream_options.include_usage</c> asks for it) and <c>[DONE]</c>. A stalled answer stops part-way and holds the
/// connection open until the client leaves or the stall time ends, then drops it.
/// </summary>
internal static class ChatStreaming
{
    private const int ChunkCharacters = 64;

    public static async Task WriteAsync(HttpContext http, ChatRequest request, AnswerDecision answer, TimeProvider time, CancellationToken cancellation)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var chunks = Enumerable.Range(0, (answer.Content.Length + ChunkCharacters - 1) / ChunkCharacters)
            .Select(i => answer.Content.Substring(i * ChunkCharacters, Math.Min(ChunkCharacters, answer.Content.Length - i * ChunkCharacters)))
            .ToList();
        var due = Schedule(answer, chunks.Count);
        var start = time.GetTimestamp();
        // Each event waits for its own moment counted from the start, so timer slop does not add up over many chunks.
        Task UntilAsync(TimeSpan moment)
        {
            var wait = moment - time.GetElapsedTime(start);
            return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellation) : Task.CompletedTask;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await UntilAsync(answer.FirstToken);
        await WriteAsync(http, Chunk(answer.Id, created, request.Model, new ChatMessageBody("assistant", ""), null, null), cancellation);
        var stallAt = answer.StallAfterFraction is { } fraction
            ? Math.Min((int)(chunks.Count * fraction), chunks.Count - 1)
            : int.MaxValue;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (i == stallAt)
            {
                await Task.Delay(answer.StallFor, time, cancellation);
                http.Abort();
                return;
            }
            await UntilAsync(due[i]);
            await WriteAsync(http, Chunk(answer.Id, created, request.Model, new ChatMessageBody(null, chunks[i]), null, null), cancellation);
        }
        await WriteAsync(http, Chunk(answer.Id, created, request.Model, new ChatMessageBody(null, null), answer.FinishReason, null), cancellation);
        if (request.IncludeUsage)
        {
            await WriteAsync(http, new ChatCompletion(answer.Id, "chat.completion.chunk", created, request.Model, [], answer.Usage), cancellation);
        }
        await http.Response.WriteAsync("data: [DONE]\n\n", cancellation);
        await http.Response.Body.FlushAsync(cancellation);
    }

    /// <summary>
    /// When each content chunk is due, from the start of the response: the first token at <see cref="AnswerDecision.FirstToken"/>,
    /// then evenly (the profile's tokens per second) until the last chunk at <see cref="Decision.Delay"/>.
    /// </summary>
    internal static IReadOnlyList<TimeSpan> Schedule(AnswerDecision answer, int chunks)
    {
        var generating = answer.Delay - answer.FirstToken;
        return Enumerable.Range(1, chunks).Select(i => answer.FirstToken + generating * i / chunks).ToList();
    }

    private static ChatCompletion Chunk(string id, long created, string model, ChatMessageBody delta, string? finishReason, ChatUsage? usage) =>
        new(id, "chat.completion.chunk", created, model, [new ChatChoice(0, null, delta, finishReason)], usage);

    private static async Task WriteAsync(HttpContext http, ChatCompletion chunk, CancellationToken cancellation)
    {
        await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", cancellation);
        await http.Response.Body.FlushAsync(cancellation);
    }
}
