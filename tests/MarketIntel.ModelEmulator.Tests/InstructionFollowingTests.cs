using System.Net;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>
/// The deterministic model keeps exactly the relations the request states: in the schema's descriptions, in prompt
/// sentences that name a field, and in the prompt's "Fixed values" block.
/// </summary>
public sealed class InstructionFollowingTests(EmulatorFactory factory) : IClassFixture<EmulatorFactory>
{
    private static JsonObject Schema(string json) => (JsonObject)JsonNode.Parse(json)!;

    private async Task<JsonObject> AnswerAsync(string prompt, JsonObject schema)
    {
        using var response = await Requests.PostAsync(factory.CreateClient(), Requests.Chat(Requests.Model, prompt, schema, maxTokens: 8000));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Requests.ParseContent(await Requests.ReadJsonAsync(response)).AsObject();
    }

    private static readonly JsonObject StatedInDescriptions = Schema("""
        {"type":"object","properties":{
          "bonuses":{"type":"array","minItems":3,"maxItems":5,"items":{"type":"object","properties":{
             "name":{"type":"string"},"perceived_value":{"type":"integer","minimum":100,"maximum":2000}}}},
          "total_bonus_value":{"type":"integer","description":"Sum of the bonuses' perceived values, in US dollars (number only)."},
          "tiers":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{
             "tier_number":{"type":"integer","minimum":1,"maximum":3},
             "price":{"type":"number"},
             "is_recommended":{"type":"boolean","description":"True for tier 2 only."}}}},
          "upsells":{"type":"array","minItems":2,"maxItems":2,
             "description":"Two offers: first tactical ($97-$297), then strategic ($497-$997).",
             "items":{"type":"object","properties":{
               "name":{"type":"string"},
               "price":{"type":"number","minimum":97,"maximum":997},
               "perceived_value":{"type":"number","description":"What it is worth; 3-5 times the price."}}}}}}
        """);

    [Fact]
    public async Task Relations_stated_in_the_schema_descriptions_are_kept()
    {
        for (var i = 0; i < 10; i++)
        {
            var answer = await AnswerAsync($"## The business\n{Requests.BusinessProfile}", StatedInDescriptions);
            var bonuses = answer["bonuses"]!.AsArray();
            Assert.Equal(bonuses.Sum(b => b!["perceived_value"]!.GetValue<long>()), answer["total_bonus_value"]!.GetValue<long>());
            Assert.Equal([false, true, false], answer["tiers"]!.AsArray().Select(t => t!["is_recommended"]!.GetValue<bool>()));
            var upsells = answer["upsells"]!.AsArray();
            Assert.InRange(upsells[0]!["price"]!.GetValue<double>(), 97, 297);
            Assert.InRange(upsells[1]!["price"]!.GetValue<double>(), 497, 997);
            Assert.All(upsells, u => Assert.InRange(u!["perceived_value"]!.GetValue<double>() / u["price"]!.GetValue<double>(), 2.9, 5.1));
        }
    }

    private static readonly JsonObject StatedInThePrompt = Schema("""
        {"type":"object","properties":{
          "order_bumps":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{
             "bump_name":{"type":"string"},"price":{"type":"number","minimum":27,"maximum":47}}}},
          "total_order_bump_revenue_potential":{"type":"number"},
          "payment_plans":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{
             "plan_name":{"type":"string"},"is_recommended":{"type":"boolean"}}}},
          "options":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{
             "risk_level":{"type":"string","enum":["low","moderate","high"]}}}},
          "recommended_option":{"type":"integer","minimum":1,"maximum":3},
          "pricing_tiers":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{
             "tier_number":{"type":"integer"},"price":{"type":"number"}}}},
          "recommended_price":{"type":"number"},
          "value_to_price_ratio":{"type":"string"}}}
        """);

    private const string Instructions = """
        ## Your task
        - total_order_bump_revenue_potential is the sum of the three bump prices.
        - Set is_recommended to true on exactly one plan.
        - Recommend the option whose risk level is high, matching the user's tolerance.
        - recommended_price must lie between $3,000 and $4,000 inclusive.
        - value_to_price_ratio is the value stack total ($18,500) divided by your price, rounded, written as N:1.
        - pricing_tiers: three tiers. Tier 2 is priced at the desired price; tier 1 costs 40-50% of tier 2 and tier 3 150-200% of it.
        """;

    [Fact]
    public async Task Relations_stated_in_prompt_sentences_that_name_the_field_are_kept()
    {
        for (var i = 0; i < 10; i++)
        {
            var answer = await AnswerAsync($"## The business\n{Requests.BusinessProfile}\n{Instructions}", StatedInThePrompt);
            Assert.Equal(answer["order_bumps"]!.AsArray().Sum(b => b!["price"]!.GetValue<double>()), answer["total_order_bump_revenue_potential"]!.GetValue<double>(), 2);
            Assert.Single(answer["payment_plans"]!.AsArray(), p => p!["is_recommended"]!.GetValue<bool>());
            var options = answer["options"]!.AsArray();
            Assert.Equal("high", options[answer["recommended_option"]!.GetValue<int>() - 1]!["risk_level"]!.GetValue<string>());
            var price = answer["recommended_price"]!.GetValue<double>();
            Assert.InRange(price, 3000, 4000);
            Assert.Equal($"{Math.Round(18500 / price)}:1", answer["value_to_price_ratio"]!.GetValue<string>());
            var tiers = answer["pricing_tiers"]!.AsArray().Select(t => t!["price"]!.GetValue<double>()).ToList();
            Assert.Equal(4997, tiers[1]); // the business profile's desired price, $5,000, written as a price is written
            Assert.InRange(tiers[0] / 5000, 0.39, 0.51);
            Assert.InRange(tiers[2] / 5000, 1.49, 2.01);
        }
    }

    [Fact]
    public async Task Without_the_prompt_sentences_the_same_schema_gets_no_such_relations()
    {
        var sums = 0;
        for (var i = 0; i < 10; i++)
        {
            var answer = await AnswerAsync($"## The business\n{Requests.BusinessProfile}", StatedInThePrompt);
            sums += answer["order_bumps"]!.AsArray().Sum(b => b!["price"]!.GetValue<double>()) == answer["total_order_bump_revenue_potential"]!.GetValue<double>() ? 1 : 0;
        }
        Assert.True(sums < 10, "the total was the sum every time though nothing asked for it");
    }

    private const string FixedBlock = """
        ## Fixed values (use exactly as given)
        - price: 5997
        - payment_plans[0].total: 5997
        - payment_plans[2].total: 7197
        - tiers[1].name: "Growth"

        ## Your task
        Design the plans.
        """;

    private static readonly JsonObject FixedSchema = Schema("""
        {"type":"object","properties":{
          "price":{"type":"number"},
          "tiers":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{"name":{"type":"string"}}}},
          "payment_plans":{"type":"array","minItems":2,"maxItems":3,"items":{"type":"object","properties":{
             "name":{"type":"string"},"total":{"type":"number"}}}},
          "total_of_plans":{"type":"number","description":"Sum of the payment plans' totals."}}}
        """);

    [Fact]
    public async Task Fixed_values_are_written_at_their_paths_and_stated_totals_build_on_them()
    {
        var answer = await AnswerAsync($"## The business\n{Requests.BusinessProfile}\n{FixedBlock}", FixedSchema);
        Assert.Equal(5997, answer["price"]!.GetValue<double>());
        var plans = answer["payment_plans"]!.AsArray();
        Assert.Equal(3, plans.Count); // a fixed value for the third plan makes a third plan
        Assert.Equal(5997, plans[0]!["total"]!.GetValue<double>());
        Assert.Equal(7197, plans[2]!["total"]!.GetValue<double>());
        Assert.Equal("Growth", answer["tiers"]![1]!["name"]!.GetValue<string>());
        Assert.Equal(plans.Sum(p => p!["total"]!.GetValue<double>()), answer["total_of_plans"]!.GetValue<double>(), 2);
    }

    [Fact]
    public void The_fixed_values_block_is_parsed_into_paths_and_json_values()
    {
        var entries = FixedValues.Parse(FixedBlock + "\n- not.part.of.the.block: 1\n");
        Assert.Equal(["price", "payment_plans[0].total", "payment_plans[2].total", "tiers[1].name"], entries.Select(e => e.Path));
        Assert.Equal([new FixedValues.PathStep("payment_plans", -1), new FixedValues.PathStep(null, 2), new FixedValues.PathStep("total", -1)], entries[2].Steps);
        Assert.Equal("Growth", entries[3].Value!.GetValue<string>());
        Assert.Null(FixedValues.ParsePath("a..b"));
    }

    [Fact]
    public async Task The_outline_is_read_from_any_markdown_fence_and_a_section_outline_is_written_as_given()
    {
        const string prompt = """
            Write section 3 of the report.
            Length: 600-750 words.
            ```markdown
            ## 3. Buyer Psychology Deep-Dive
            ### Buyer Language Intelligence <!-- table: Phrase | Emotion; rows: 4 -->
            ### Fear Analysis
            ```
            """;
        using var response = await Requests.PostAsync(factory.CreateClient(), Requests.Chat(Requests.Model, prompt, maxTokens: 4000));
        var content = Requests.Content(await Requests.ReadJsonAsync(response));
        var headings = content.Split('\n').Where(l => l.StartsWith('#')).ToList();
        Assert.Equal(["## 3. Buyer Psychology Deep-Dive", "### Buyer Language Intelligence", "### Fear Analysis"], headings);
        Assert.InRange(MarkdownReportGenerator.CountWords(content), 600, 750);
        Assert.Contains("| Phrase | Emotion |", content, StringComparison.Ordinal);
    }
}
