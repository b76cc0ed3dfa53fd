using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>The streaming faults (a stall mid-answer, a client that leaves early), the pace of a stream, and Workers AI's dialect.</summary>
public sealed class StreamingAndDialectTests : IDisposable
{
    private const string WorkersAiPath = "/client/v4/accounts/abc123/ai/v1/chat/completions";

    private readonly EmulatorFactory _factory = new();
    private readonly HttpClient _client;

    public StreamingAndDialectTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    private static string Prompt => $"## The business\n{Requests.BusinessProfile}";

    private static JsonObject Streamed(string model)
    {
        var body = Requests.Chat(model, Prompt, Requests.FlatSchema(20), maxTokens: 4000);
        body["stream"] = true;
        return body;
    }

    private static HttpRequestMessage Post(JsonObject body, string profile, string path = "/v1/chat/completions")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(ChatCompletionsApi.ProfileHeader, profile);
        return request;
    }

    /// <summary>The events of a stream up to its end or until the connection drops.</summary>
    private static async Task<(List<string> Events, bool Dropped)> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(line["data: ".Length..]);
                }
            }
            return (events, false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return (events, true);
        }
    }

    private async Task<JsonObject> ModelStatsAsync(string model) =>
        (JsonObject)(await _client.GetFromJsonAsync<JsonObject>("/admin/stats"))!["models"]![model]!;

    [Fact]
    public async Task A_stalled_stream_sends_part_of_the_answer_then_holds_without_a_finish()
    {
        const string model = "stalling-model";
        var events = new List<string>();
        using (var cancellation = new CancellationTokenSource())
        {
            using var request = Post(Streamed(model), """{"stallRate": 1, "stallAfterFraction": 0.5, "stallMs": 600000}""");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token));
            // Read until a line does not come: the stall. Stopping early on a slow machine only means fewer chunks, and
            // every assertion below still holds for any prefix that has some content.
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token);
                quiet.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    if (await reader.ReadLineAsync(quiet.Token) is not { } line)
                    {
                        break;
                    }
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        events.Add(line["data: ".Length..]);
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            await cancellation.CancelAsync();
        }

        Assert.DoesNotContain("[DONE]", events);
        var chunks = events.Select(e => JsonNode.Parse(e)!).ToList();
        Assert.DoesNotContain(chunks, c => c["choices"]!.AsArray().Any(x => x!["finish_reason"] is JsonValue));
        var text = string.Concat(chunks.Select(c => c["choices"]![0]!["delta"]?["content"]?.GetValue<string>()));
        Assert.NotEmpty(text);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(text)); // half an answer
        Assert.Equal(1, (await ModelStatsAsync(model))["outcomes"]!["stall"]!.GetValue<int>());
    }

    [Fact]
    public async Task After_the_stall_time_the_connection_is_dropped_without_done()
    {
        const string model = "dropping-model";
        using var request = Post(Streamed(model), """{"stallRate": 1, "stallMs": 0}""");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (events, dropped) = await ReadEventsAsync(response);

        Assert.True(dropped, "the connection ends abruptly, not with [DONE]");
        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal(0, (await ModelStatsAsync(model))["disconnects"]!.GetValue<int>()); // the emulator left, not the client
    }

    [Fact]
    public async Task A_client_that_closes_a_held_stream_is_counted_as_a_disconnect()
    {
        const string model = "abandoned-model";
        using (var cancellation = new CancellationTokenSource())
        {
            using var request = Post(Streamed(model), """{"stallRate": 1, "stallAfterFraction": 0.3, "stallMs": 600000}""");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token));
            // The role chunk arrives; then the stream holds, and the client gives up.
            Assert.StartsWith("data: ", await reader.ReadLineAsync(cancellation.Token), StringComparison.Ordinal);
            await cancellation.CancelAsync();
        }

        // The server learns of the closed connection on its own schedule: wait for it, within a generous bound.
        var disconnects = 0;
        for (var i = 0; i < 200 && disconnects == 0; i++)
        {
            disconnects = (await ModelStatsAsync(model))["disconnects"]!.GetValue<int>();
            if (disconnects == 0)
            {
                await Task.Delay(50);
            }
        }
        Assert.Equal(1, disconnects);
        var stats = (await _client.GetFromJsonAsync<JsonObject>("/admin/stats"))!;
        Assert.Equal(1, stats["disconnects"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_stream_read_to_the_end_is_not_a_disconnect()
    {
        const string model = "patient-model";
        using var request = Post(Streamed(model), "{}");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (events, dropped) = await ReadEventsAsync(response);
        Assert.False(dropped);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(0, (await ModelStatsAsync(model))["disconnects"]!.GetValue<int>());
    }

    [Fact]
    public void Chunks_are_due_from_the_first_token_evenly_until_the_whole_answer_time()
    {
        var answer = new AnswerDecision(Outcomes.Ok, TimeSpan.FromSeconds(100.8), "id", "x", "stop", new ChatUsage(1, 4000, 4001), TimeSpan.FromSeconds(0.8));
        var due = ChatStreaming.Schedule(answer, 250);
        Assert.Equal(250, due.Count);
        Assert.Equal(TimeSpan.FromSeconds(0.8 + 0.4), due[0]);
        Assert.Equal(TimeSpan.FromSeconds(100.8), due[^1]);
        Assert.All(due.Zip(due.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(0.4), pair.Second - pair.First));
    }

    private async Task<JsonObject> WorkersAiAsync(JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WorkersAiPath) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Requests.ReadJsonAsync(response);
    }

    [Fact]
    public async Task Workers_ai_cuts_an_answer_at_256_tokens_without_max_tokens_and_ignores_max_completion_tokens()
    {
        var withoutBudget = Requests.Chat(Requests.Model, Prompt, Requests.FlatSchema(45), maxTokens: null);
        var cut = await WorkersAiAsync(withoutBudget);
        Assert.Equal("length", Requests.FinishReason(cut));
        Assert.Equal(256, cut["usage"]!["completion_tokens"]!.GetValue<int>());

        var openAiBudget = Requests.Chat(Requests.Model, Prompt, Requests.FlatSchema(45), maxTokens: null);
        openAiBudget["max_completion_tokens"] = 4000;
        var stillCut = await WorkersAiAsync(openAiBudget);
        Assert.Equal("length", Requests.FinishReason(stillCut));
        Assert.Equal(256, stillCut["usage"]!["completion_tokens"]!.GetValue<int>());

        var whole = await WorkersAiAsync(Requests.Chat(Requests.Model, Prompt, Requests.FlatSchema(45), maxTokens: 4000));
        Assert.Equal("stop", Requests.FinishReason(whole));
        Assert.True(whole["usage"]!["completion_tokens"]!.GetValue<int>() > 256);
    }

    [Fact]
    public async Task The_plain_v1_path_honours_max_completion_tokens()
    {
        var body = Requests.Chat(Requests.Model, Prompt, Requests.FlatSchema(45), maxTokens: null);
        body["max_completion_tokens"] = 100;
        using var response = await Requests.PostAsync(_client, body);
        var completion = await Requests.ReadJsonAsync(response);
        Assert.Equal("length", Requests.FinishReason(completion));
        Assert.Equal(100, completion["usage"]!["completion_tokens"]!.GetValue<int>());

        using var unbounded = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.FlatSchema(45), maxTokens: null));
        Assert.Equal("stop", Requests.FinishReason(await Requests.ReadJsonAsync(unbounded)));
    }
}
