using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>The real Microsoft.Extensions.AI.OpenAI client talks to the emulator: the wire format matches.</summary>
public sealed class OpenAIClientTests(EmulatorFactory factory) : IClassFixture<EmulatorFactory>
{
    private IChatClient ChatClient(string model)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
        };
        return new OpenAIClient(new ApiKeyCredential("test-key"), options).GetChatClient(model).AsIChatClient();
    }

    [Fact]
    public async Task A_json_schema_request_through_IChatClient_gets_a_valid_instance_and_usage()
    {
        var schema = SchemaInstanceGeneratorTests.RichSchema();
        using var document = JsonDocument.Parse(schema.ToJsonString());
        using var client = ChatClient(Requests.Model);
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a market analyst."), new ChatMessage(ChatRole.User, $"## The business\n{Requests.BusinessProfile}")],
            new ChatOptions
            {
                ResponseFormat = ChatResponseFormat.ForJsonSchema(document.RootElement.Clone(), "Test"),
                MaxOutputTokens = 2500,
                Temperature = 0.7f,
            });

        Assert.Empty(SchemaChecker.Check(JsonNode.Parse(response.Text), schema));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(Requests.Model, response.ModelId);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.True(response.Usage?.OutputTokenCount > 0);
        Assert.Equal(response.Usage!.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_through_IChatClient_yields_the_whole_answer()
    {
        using var client = ChatClient(Requests.Model);
        var text = new System.Text.StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync($"## The business\n{Requests.BusinessProfile}"))
        {
            text.Append(update.Text);
        }
        Assert.Contains("women in tech", text.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
