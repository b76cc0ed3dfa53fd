using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>The emulator in memory, with no simulated latency.</summary>
public sealed class EmulatorFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Emulator:LatencyScale", "0");
        builder.UseSetting("Emulator:Seed", "7");
    }
}

/// <summary>Request bodies and prompt text shared by the tests.</summary>
internal static class Requests
{
    public const string Model = "@cf/meta/llama-3.1-70b-instruct";

    public const string BusinessProfile = """
        <data name="business_profile">
        Business name: Ashley Shaw Consulting
        Niche: Executive coaching for women in tech leadership
        Target demographics: Women 35-50, senior engineering managers and directors
        Biggest customer pain point: Being passed over for VP promotions despite strong results
        Desired price: $5,000
        Delivery format: (not provided)
        </data>
        """;

    public static JsonObject Chat(string model, string userText, JsonObject? schema = null, int? maxTokens = 2500, string? system = "You are a market analyst.")
    {
        var messages = new JsonArray();
        if (system is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = userText });
        var body = new JsonObject { ["model"] = model, ["messages"] = messages, ["temperature"] = 0.7 };
        if (maxTokens is { } tokens)
        {
            body["max_tokens"] = tokens;
        }
        if (schema is not null)
        {
            body["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "Test", ["strict"] = true, ["schema"] = schema.DeepClone() },
            };
        }
        return body;
    }

    public static JsonObject SmallSchema() => (JsonObject)JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "market_growth_rate": { "type": "string", "minLength": 1 },
            "bleeding_neck_problem": { "type": "string", "minLength": 1 },
            "difficulty_score": { "type": "integer", "minimum": 1, "maximum": 10 }
          },
          "required": ["market_growth_rate", "bleeding_neck_problem", "difficulty_score"],
          "additionalProperties": false
        }
        """)!;

    /// <summary>A flat schema of <paramref name="fields"/> required string fields.</summary>
    public static JsonObject FlatSchema(int fields)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        for (var i = 1; i <= fields; i++)
        {
            properties[$"detail_{i}"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 };
            required.Add($"detail_{i}");
        }
        return new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required, ["additionalProperties"] = false };
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject body, string? profileJson = null, string path = "/v1/chat/completions")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (profileJson is not null)
        {
            request.Headers.Add("X-Emulator-Profile", profileJson);
        }
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        (JsonObject)(await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!;

    public static string Content(JsonObject completion) => completion["choices"]![0]!["message"]!["content"]!.GetValue<string>();

    public static string FinishReason(JsonObject completion) => completion["choices"]![0]!["finish_reason"]!.GetValue<string>();

    public static JsonNode ParseContent(JsonObject completion) =>
        JsonNode.Parse(Content(completion), documentOptions: new JsonDocumentOptions())!;
}
