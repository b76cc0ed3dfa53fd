using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>
/// The realistic behaviour: short long-form answers, lists off by one, fixed values mostly honoured, independent numbers,
/// and re-asks that fix the answer at the profile's rate. Every draw comes from the seeded sequence, so the bands below
/// hold for this seed run after run; they are loose enough to hold for any seed.
/// </summary>
public sealed class RealisticBehaviourTests(EmulatorFactory factory) : IClassFixture<EmulatorFactory>
{
    private const string Mistral = "@cf/mistralai/mistral-small-3.1-24b-instruct";

    private async Task<string> ContentAsync(JsonObject body, string profile)
    {
        using var response = await Requests.PostAsync(factory.CreateClient(), body, profile);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Requests.Content(await Requests.ReadJsonAsync(response));
    }

    private async Task<int> WordsAsync(string length, string profile) =>
        MarkdownReportGenerator.CountWords(await ContentAsync(
            Requests.Chat(Mistral, MarkdownReportTests.Prompt(length), maxTokens: 16000, system: "You write thorough markdown reports."), profile));

    [Fact]
    public async Task A_long_answer_reaches_about_half_the_words_asked_and_a_short_one_comes_closer()
    {
        const string realistic = """{"behaviour": "realistic"}""";
        var longAnswer = await WordsAsync("Length: 5,000-6,000 words.", realistic);
        var section = await WordsAsync("Length: 600-750 words.", realistic);

        Assert.InRange(longAnswer / 5500.0, 0.42, 0.62);
        Assert.InRange(section / 675.0, 0.7, 0.95);
        // The fraction is a setting of the profile.
        var closer = await WordsAsync("Length: 5,000-6,000 words.", """{"behaviour": "realistic", "longFormWordFraction": 0.8}""");
        Assert.InRange(closer / 5500.0, 0.72, 0.9);
        // The deterministic profile writes the length asked.
        Assert.InRange(await WordsAsync("Length: 5,000-6,000 words.", """{"behaviour": "deterministic"}"""), 5000, 6000);
    }

    private static readonly JsonObject FiveItems = (JsonObject)JsonNode.Parse("""
        {"type":"object","properties":{
          "items":{"type":"array","minItems":5,"maxItems":5,"items":{"type":"object","properties":{
             "name":{"type":"string"},"price":{"type":"number"}}}}}}
        """)!;

    private async Task<int> ItemCountAsync(string prompt, string profile) =>
        JsonNode.Parse(await ContentAsync(Requests.Chat(Requests.Model, prompt, FiveItems, maxTokens: 8000), profile))!["items"]!.AsArray().Count;

    [Fact]
    public async Task Lists_are_off_by_one_at_the_profiles_rate()
    {
        var prompt = $"## The business\n{Requests.BusinessProfile}";
        var always = new List<int>();
        var never = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            always.Add(await ItemCountAsync(prompt, """{"behaviour": "realistic", "listOffByOneRate": 1}"""));
            never.Add(await ItemCountAsync(prompt, """{"behaviour": "realistic", "listOffByOneRate": 0}"""));
        }
        Assert.All(always, count => Assert.Contains(count, new[] { 4, 6 }));
        Assert.Contains(4, always);
        Assert.Contains(6, always);
        Assert.All(never, count => Assert.Equal(5, count));
    }

    [Fact]
    public async Task Numbers_the_prompt_does_not_relate_are_drawn_independently()
    {
        var prompt = $"## The business\n{Requests.BusinessProfile}";
        var realisticSpreads = 0;
        for (var i = 0; i < 10; i++)
        {
            var realistic = JsonNode.Parse(await ContentAsync(Requests.Chat(Requests.Model, prompt, FiveItems, maxTokens: 8000), """{"behaviour": "realistic", "listOffByOneRate": 0}"""))!;
            realisticSpreads += realistic["items"]!.AsArray().Select(item => item!["price"]!.GetValue<double>()).Distinct().Count() > 1 ? 1 : 0;
            // The deterministic model prices every item at the price the business gives.
            var faithful = JsonNode.Parse(await ContentAsync(Requests.Chat(Requests.Model, prompt, FiveItems, maxTokens: 8000), "{}"))!;
            Assert.All(faithful["items"]!.AsArray(), item => Assert.Equal(4997, item!["price"]!.GetValue<double>()));
        }
        Assert.True(realisticSpreads >= 9, $"only {realisticSpreads} of 10 realistic answers priced their items differently");
    }

    private static readonly JsonObject TenFixed = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject(Enumerable.Range(1, 10).Select(i => KeyValuePair.Create<string, JsonNode?>(
            $"amount_{i}", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 9 }))),
    };

    private static readonly string FixedPrompt = "## Fixed values (use exactly as given)\n"
        + string.Concat(Enumerable.Range(1, 10).Select(i => $"- amount_{i}: 123456\n"));

    private async Task<int> HonouredAsync(string profile)
    {
        var honoured = 0;
        for (var i = 0; i < 20; i++)
        {
            var answer = JsonNode.Parse(await ContentAsync(Requests.Chat(Requests.Model, FixedPrompt, TenFixed), profile))!.AsObject();
            honoured += answer.Count(p => p.Value!.GetValue<long>() == 123456);
        }
        return honoured;
    }

    [Fact]
    public async Task Fixed_values_are_honoured_at_the_profiles_rate()
    {
        // 200 fixed values each time; the schema's own range (1-9) cannot produce 123456 by chance.
        Assert.Equal(200, await HonouredAsync("{}"));
        Assert.InRange(await HonouredAsync("""{"behaviour": "realistic"}"""), 165, 195); // default rate 0.9
        Assert.InRange(await HonouredAsync("""{"behaviour": "realistic", "fixedValueRate": 0.5}"""), 70, 130);
    }

    private static JsonObject Reask(string prompt)
    {
        var body = Requests.Chat(Requests.Model, prompt, FiveItems, maxTokens: 8000);
        var messages = body["messages"]!.AsArray();
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "{\"items\":[]}" });
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = "Your previous answer did not pass validation:\n- items must have 5 items, got 4.\nAnswer again." });
        return body;
    }

    private async Task<int> FixedOutOf200Async(string profile)
    {
        var fixedAnswers = 0;
        for (var i = 0; i < 200; i++)
        {
            var answer = JsonNode.Parse(await ContentAsync(Reask($"## The business\n{Requests.BusinessProfile}"), profile))!;
            fixedAnswers += answer["items"]!.AsArray().Count == 5 ? 1 : 0;
        }
        return fixedAnswers;
    }

    [Fact]
    public async Task A_reask_with_the_errors_fixes_the_answer_at_the_profiles_rate()
    {
        // Every first answer is off by one; a fixed re-ask follows the instructions and has the five items asked.
        const string alwaysWrong = """{"behaviour": "realistic", "listOffByOneRate": 1}""";
        Assert.NotEqual(5, await ItemCountAsync($"## The business\n{Requests.BusinessProfile}", alwaysWrong));
        Assert.InRange(await FixedOutOf200Async(alwaysWrong), 140, 185); // default ReaskFixRate 0.8
        Assert.InRange(await FixedOutOf200Async("""{"behaviour": "realistic", "listOffByOneRate": 1, "reaskFixRate": 0.3}"""), 40, 85);
    }

    [Fact]
    public async Task The_behaviour_is_set_per_model_at_run_time_and_in_configuration()
    {
        using var configured = factory.WithWebHostBuilder(builder => builder.UseSetting("Emulator:Profiles:tuned-model:Behaviour", "Realistic"));
        Assert.Equal(ModelBehaviour.Realistic, configured.Services.GetRequiredService<ProfileStore>().Get("tuned-model").Behaviour);
        Assert.Equal(ModelBehaviour.Deterministic, configured.Services.GetRequiredService<ProfileStore>().Get("other-model").Behaviour);

        var client = configured.CreateClient();
        using var put = await client.PutAsJsonAsync("/admin/profiles/runtime-model", new JsonObject { ["behaviour"] = "realistic", ["reaskFixRate"] = 0.5 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var profiles = (await client.GetFromJsonAsync<JsonObject>("/admin/profiles"))!;
        Assert.Equal("realistic", profiles["runtime-model"]!["behaviour"]!.GetValue<string>());
        Assert.Equal("deterministic", profiles["default"]!["behaviour"]!.GetValue<string>());

        using var refused = await client.PutAsJsonAsync("/admin/profiles/runtime-model", new JsonObject { ["behaviour"] = "creative" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
