using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator.Tests;

public sealed class ChatCompletionsApiTests(EmulatorFactory factory) : IClassFixture<EmulatorFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Prompt => $"## The business\n{Requests.BusinessProfile}\n## Your task\nAnalyse the market.";

    [Fact]
    public async Task A_schema_request_gets_a_chat_completion_with_a_valid_instance_and_usage()
    {
        var schema = SchemaInstanceGeneratorTests.RichSchema();
        using var response = await Requests.PostAsync(_client, Requests.Chat("@cf/meta/llama-3.1-70b-instruct-fp8-fast", Prompt, schema));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var completion = await Requests.ReadJsonAsync(response);

        Assert.StartsWith("chatcmpl-", completion["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.Equal("@cf/meta/llama-3.1-70b-instruct-fp8-fast", completion["model"]!.GetValue<string>());
        Assert.True(completion["created"]!.GetValue<long>() > 1_700_000_000);
        Assert.Equal("assistant", completion["choices"]![0]!["message"]!["role"]!.GetValue<string>());
        Assert.Equal("stop", Requests.FinishReason(completion));
        Assert.Empty(SchemaChecker.Check(Requests.ParseContent(completion), schema));

        var usage = completion["usage"]!;
        var content = Requests.Content(completion);
        Assert.Equal((content.Length + 3) / 4, usage["completion_tokens"]!.GetValue<int>());
        Assert.True(usage["prompt_tokens"]!.GetValue<int>() > Prompt.Length / 4);
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_schema_is_found_in_a_fenced_block_of_the_prompt_and_content_parts_are_read()
    {
        var prompt = $"{Prompt}\n\n## Output format\nReply with JSON:\n```json\n{Requests.SmallSchema().ToJsonString()}\n```";
        var body = Requests.Chat(Requests.Model, "", system: null);
        body["messages"]![0]!["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = prompt });
        body["response_format"] = new JsonObject { ["type"] = "json_object" };
        body.Remove("max_tokens");
        body["max_completion_tokens"] = 1000;

        using var response = await Requests.PostAsync(_client, body);
        var completion = await Requests.ReadJsonAsync(response);
        Assert.Empty(SchemaChecker.Check(Requests.ParseContent(completion), Requests.SmallSchema()));
        // The text is drawn from the profile in the prompt (which of its facts a sentence uses depends on the seed).
        var content = Requests.Content(completion);
        Assert.True(
            new[] { "women in tech", "Ashley Shaw", "passed over", "senior engineering managers" }.Any(f => content.Contains(f, StringComparison.OrdinalIgnoreCase)),
            content);
    }

    [Fact]
    public async Task The_workers_ai_path_needs_a_bearer_token()
    {
        const string path = "/client/v4/accounts/abc123/ai/v1/chat/completions";
        var body = Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema());

        using var anonymous = await Requests.PostAsync(_client, body, path: path);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var empty = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        empty.Headers.TryAddWithoutValidation("Authorization", "Bearer ");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(empty)).StatusCode);

        using var authorised = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        authorised.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
        using var response = await _client.SendAsync(authorised);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(SchemaChecker.Check(Requests.ParseContent(await Requests.ReadJsonAsync(response)), Requests.SmallSchema()));
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "role")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":42}]}""", "content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":-1}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"xml"}}""", "response_format")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema"}}""", "schema")]
    public async Task Bad_requests_get_400_problem_details(string body, string mentioned)
    {
        using var response = await _client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Requests.ReadJsonAsync(response);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Contains(mentioned, problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_invalid_profile_header_is_a_bad_request()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()), """{"Http500Rate": 3}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Http500Rate", (await Requests.ReadJsonAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http500_rate_answers_500_with_a_workers_ai_error()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()), """{"Http500Rate": 1}""");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await Requests.ReadJsonAsync(response);
        Assert.Equal(3043, body["errors"]![0]!["code"]!.GetValue<int>());
        Assert.False(body["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Http429_rate_answers_capacity_exceeded_with_retry_after()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()), """{"Http429Rate": 1}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var body = await Requests.ReadJsonAsync(response);
        Assert.Equal(3040, body["errors"]![0]!["code"]!.GetValue<int>());
        Assert.Equal("Capacity temporarily exceeded, please try again.", body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.False(body["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Quota_exhausted_rate_answers_429_with_code_3036()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()), """{"QuotaExhaustedRate": 1}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        var body = await Requests.ReadJsonAsync(response);
        Assert.Equal(3036, body["errors"]![0]!["code"]!.GetValue<int>());
        Assert.Contains("daily free allocation", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_rate_answers_text_that_does_not_parse()
    {
        for (var i = 0; i < 6; i++)
        {
            using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()), """{"MalformedJsonRate": 1}""");
            var content = Requests.Content(await Requests.ReadJsonAsync(response));
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(content));
        }
    }

    [Fact]
    public async Task Placeholder_rate_puts_a_template_gap_in_one_string()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()), """{"PlaceholderRate": 1}""");
        var instance = Requests.ParseContent(await Requests.ReadJsonAsync(response)).AsObject();
        var gaps = instance.Where(p => p.Value!.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .Count(p => p.Value!.GetValue<string>() is "TBD" or "[Insert detail]");
        Assert.Equal(1, gaps);
    }

    [Fact]
    public async Task Truncation_rate_cuts_the_answer_with_finish_reason_length()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, SchemaInstanceGeneratorTests.RichSchema()), """{"TruncationRate": 1}""");
        var completion = await Requests.ReadJsonAsync(response);
        Assert.Equal("length", Requests.FinishReason(completion));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(Requests.Content(completion)));
    }

    [Fact]
    public async Task An_answer_longer_than_max_tokens_is_cut_there()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, SchemaInstanceGeneratorTests.RichSchema(), maxTokens: 50));
        var completion = await Requests.ReadJsonAsync(response);
        Assert.Equal("length", Requests.FinishReason(completion));
        Assert.Equal(50, completion["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(200, Requests.Content(completion).Length);
    }

    [Fact]
    public async Task Fenced_json_rate_wraps_valid_json_in_prose_and_fences()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema()), """{"FencedJsonRate": 1}""");
        var content = Requests.Content(await Requests.ReadJsonAsync(response));
        var start = content.IndexOf("```json\n", StringComparison.Ordinal);
        Assert.True(start > 0, "prose comes before the fence");
        var end = content.LastIndexOf("```", StringComparison.Ordinal);
        var json = JsonNode.Parse(content[(start + 8)..end]);
        Assert.Empty(SchemaChecker.Check(json, Requests.SmallSchema()));
    }

    [Fact]
    public async Task Timeout_rate_holds_the_answer_back_until_the_client_gives_up()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(Requests.Chat("timeout-model", Prompt, Requests.SmallSchema())),
        };
        request.Headers.Add("X-Emulator-Profile", """{"TimeoutRate": 1, "TimeoutDelayMs": 60000}""");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.SendAsync(request, cancellation.Token));

        // With a short delay the answer does arrive, late.
        using var late = await Requests.PostAsync(_client, Requests.Chat("timeout-model", Prompt, Requests.SmallSchema()), """{"TimeoutRate": 1, "TimeoutDelayMs": 1}""");
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
    }

    [Fact]
    public async Task Fail_schema_fields_above_fails_a_big_schema_but_not_a_small_one()
    {
        const string model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
        using var big = await Requests.PostAsync(_client, Requests.Chat(model, Prompt, Requests.FlatSchema(55)));
        Assert.Equal(HttpStatusCode.InternalServerError, big.StatusCode);
        Assert.Equal(3043, (await Requests.ReadJsonAsync(big))["errors"]![0]!["code"]!.GetValue<int>());

        using var small = await Requests.PostAsync(_client, Requests.Chat(model, Prompt, Requests.FlatSchema(35)));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);

        // The same big schema is fine on 3.1 70B.
        using var other = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt, Requests.FlatSchema(55)));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_request_over_the_context_window_is_refused()
    {
        var longPrompt = Prompt + new string('x', 4 * 20_000);
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, longPrompt, Requests.SmallSchema(), maxTokens: 4000));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(5021, (await Requests.ReadJsonAsync(response))["errors"]![0]!["code"]!.GetValue<int>());

        using var mistral = await Requests.PostAsync(_client, Requests.Chat("@cf/mistralai/mistral-small-3.1-24b-instruct", longPrompt, Requests.SmallSchema(), maxTokens: 4000));
        Assert.Equal(HttpStatusCode.OK, mistral.StatusCode);
    }

    [Fact]
    public async Task Consecutive_attempts_differ_so_a_retry_can_succeed()
    {
        const string profile = """{"Http500Rate": 0.5}""";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await Requests.PostAsync(_client, Requests.Chat("flaky-model", Prompt, Requests.SmallSchema()), profile);
            statuses.Add(response.StatusCode);
        }
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.InternalServerError, statuses);
    }

    [Fact]
    public async Task Streaming_sends_chunks_then_done()
    {
        var body = Requests.Chat(Requests.Model, Prompt, Requests.SmallSchema());
        body["stream"] = true;
        body["stream_options"] = new JsonObject { ["include_usage"] = true };
        using var response = await Requests.PostAsync(_client, body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        var text = string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["delta"]?["content"]?.GetValue<string>()));
        Assert.Empty(SchemaChecker.Check(JsonNode.Parse(text), Requests.SmallSchema()));
        Assert.Contains(chunks, c => c["choices"]!.AsArray().Any(x => x!["finish_reason"]?.GetValue<string>() == "stop"));
        Assert.True(chunks[^1]["usage"]!["total_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Without_a_schema_or_an_outline_the_answer_is_a_few_paragraphs()
    {
        using var response = await Requests.PostAsync(_client, Requests.Chat(Requests.Model, Prompt));
        var content = Requests.Content(await Requests.ReadJsonAsync(response));
        Assert.InRange(MarkdownReportGenerator.CountWords(content), 100, 200);
        Assert.DoesNotMatch(SchemaChecker.Placeholder(), content);
    }
}
