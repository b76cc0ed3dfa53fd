using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using MarketIntel.Worker.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// What goes over the wire, through the real registration (catalogue from marketintel.defaults.json, AddModelClients,
/// the "models" HttpClient): the Workers AI URL, the bearer token and an OpenAI chat completions body; and, without
/// credentials, the same request shape sent to the emulator.
/// </summary>
public sealed class WorkersAiRequestTests : IAsyncLifetime
{
    /// <summary>The provider's rate limit lives in Redis (one window for all workers), so the clients need one.</summary>
    private readonly MarketIntel.Testing.RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    private const string Model = "@cf/meta/llama-3.1-70b-instruct";

    [Fact]
    public async Task With_credentials_the_client_calls_Workers_AI_with_the_token_and_an_OpenAI_body()
    {
        var handler = new CapturingHandler();
        using var host = Build(handler, new()
        {
            ["Providers:workers-ai:AccountId"] = "acc123",
            ["Providers:workers-ai:ApiToken"] = "secret-token-XYZ",
        });

        var stage = StageCatalog.Get(2);
        await Call(host, stage);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.cloudflare.com/client/v4/accounts/acc123/ai/v1/chat/completions", request.Url);
        Assert.Equal("Bearer secret-token-XYZ", request.Authorization);

        var body = request.Body;
        Assert.Equal(Model, body["model"]!.GetValue<string>());
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Contains("analyst", messages[0]!["content"]!.ToJsonString(), StringComparison.Ordinal);
        // Workers AI honours max_tokens only (without it answers stop at 256 tokens); the SDK's own name must not be sent.
        Assert.Equal(1234, body["max_tokens"]!.GetValue<int>());
        Assert.Null(body["max_completion_tokens"]);
        // Every call streams, and asks for the usage chunk at the end.
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(0.1, body["temperature"]!.GetValue<double>(), 3);
        var format = body["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal("BuyerPsychology", format["json_schema"]!["name"]!.GetValue<string>());
        var schema = format["json_schema"]!["schema"]!.AsObject();
        Assert.Equal(
            stage.ResponseSchema!["properties"]!.AsObject().Select(p => p.Key).Order(),
            schema["properties"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Without_credentials_the_same_client_calls_the_emulator_on_the_Workers_AI_path()
    {
        var handler = new CapturingHandler();
        using var host = Build(handler, new() { ["Emulator:BaseUrl"] = "http://emulator.test:5123" });

        await Call(host, StageCatalog.Get(2));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://emulator.test:5123/client/v4/accounts/emulator/ai/v1/chat/completions", request.Url);
        Assert.StartsWith("Bearer ", request.Authorization, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", request.Authorization, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Model, request.Body["model"]!.GetValue<string>());
        Assert.Equal("json_schema", request.Body["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal(1234, request.Body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_provider_set_to_max_completion_tokens_gets_the_OpenAI_field()
    {
        var handler = new CapturingHandler();
        using var host = Build(handler, new()
        {
            ["Providers:workers-ai:BaseUrl"] = "http://openai-compatible.test/v1",
            ["Providers:workers-ai:MaxTokensParameter"] = "max_completion_tokens",
        });

        await Call(host, StageCatalog.Get(2));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://openai-compatible.test/v1/chat/completions", request.Url);
        Assert.Equal(1234, request.Body["max_completion_tokens"]!.GetValue<int>());
        Assert.Null(request.Body["max_tokens"]);
    }

    [Theory]
    [InlineData("acc123", null, "an account id but no API token")]
    [InlineData(null, "secret-token-XYZ", "an API token but no account id")]
    public void Half_a_set_of_credentials_stops_the_worker_at_start(string? accountId, string? token, string expected)
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Build(new CapturingHandler(), new()
        {
            ["Providers:workers-ai:AccountId"] = accountId,
            ["Providers:workers-ai:ApiToken"] = token,
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-XYZ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_credentials_every_model_is_marked_as_served_by_the_emulator()
    {
        using var host = Build(new CapturingHandler(), []);
        var serving = host.Services.GetRequiredService<ModelServing>();

        Assert.True(serving.AnyEmulated);
        Assert.Equal("emulator", serving.For(Model));
    }

    [Fact]
    public void With_credentials_the_models_are_marked_as_served_by_their_provider()
    {
        using var host = Build(new CapturingHandler(), new()
        {
            ["Providers:workers-ai:AccountId"] = "acc123",
            ["Providers:workers-ai:ApiToken"] = "secret-token-XYZ",
        });

        Assert.Equal("workers-ai", host.Services.GetRequiredService<ModelServing>().For(Model));
    }

    private IHost Build(CapturingHandler handler, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddMarketIntelDefaults();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_redis.Connection!);
        builder.AddModelClients();
        builder.Services.AddHttpClient(ModelClientRegistration.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        return builder.Build();
    }

    private static async Task Call(IHost host, IStage stage)
    {
        var client = host.Services.GetRequiredKeyedService<IChatClient>(Model);
        var schema = JsonSerializer.SerializeToElement(stage.ResponseSchema);
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a buyer psychology analyst."), new ChatMessage(ChatRole.User, "Describe the buyers.")],
            new ChatOptions
            {
                MaxOutputTokens = 1234,
                Temperature = 0.1f,
                ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "BuyerPsychology"),
            });
        Assert.Equal("{}", response.Text);
    }

    private sealed record CapturedRequest(HttpMethod Method, string Url, string Authorization, JsonObject Body);

    /// <summary>Records each request and answers it like a provider would, with a minimal streamed chat completion.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<CapturedRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Requests.Add(new CapturedRequest(request.Method, request.RequestUri!.ToString(), request.Headers.Authorization?.ToString() ?? "", JsonNode.Parse(body)!.AsObject()));
            const string stream = """
                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735689600,"model":"@cf/meta/llama-3.1-70b-instruct","choices":[{"index":0,"delta":{"role":"assistant","content":"{}"},"finish_reason":null}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735689600,"model":"@cf/meta/llama-3.1-70b-instruct","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735689600,"model":"@cf/meta/llama-3.1-70b-instruct","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}

                data: [DONE]


                """;
            // A network stream cannot seek; the SDK treats a seekable one as already buffered.
            var content = new StreamContent(new NetworkLikeStream(Encoding.UTF8.GetBytes(stream)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }
    }

    private sealed class NetworkLikeStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
