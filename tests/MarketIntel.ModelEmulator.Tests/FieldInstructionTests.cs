using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>
/// Instruction sentences that name answer fields by path (formulas, directions, ranges, dollar bounds, distinct names):
/// each is followed when the answer has the fields it names, and changes nothing when it does not.
/// </summary>
public sealed partial class FieldInstructionTests(EmulatorFactory factory) : IClassFixture<EmulatorFactory>
{
    private static JsonObject Schema(string json) => (JsonObject)JsonNode.Parse(json)!;

    private async Task<JsonObject> AnswerAsync(string prompt, JsonObject schema, string? profile = null)
    {
        using var response = await Requests.PostAsync(factory.CreateClient(), Requests.Chat(Requests.Model, prompt, schema, maxTokens: 8000), profile);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Requests.ParseContent(await Requests.ReadJsonAsync(response)).AsObject();
    }

    private static string Prompt(params string[] rules) => $"## The business\n{Requests.BusinessProfile}\n## Rules\n" + string.Concat(rules.Select(r => $"- {r}\n"));

    private static readonly JsonObject Market = Schema("""
        {"type":"object","properties":{
          "market_growth_rate":{"type":"string"},"market_size_2024":{"type":"string"},"market_size_2025_projected":{"type":"string"}}}
        """);

    private static readonly JsonObject Avatar = Schema("""
        {"type":"object","properties":{"demographics":{"type":"object","properties":{
          "age_range":{"type":"string"},"household_income":{"type":"string"}}}}}
        """);

    private const string Formula = "market_size_2025_projected must equal market_size_2024 × (1 + market_growth_rate), up to rounding.";

    private const string Direction = "If market_growth_rate is positive, market_size_2025_projected must be larger than market_size_2024; if it is negative, smaller.";

    [Fact]
    public async Task A_formula_sets_the_named_field_from_the_other_two()
    {
        for (var i = 0; i < 8; i++)
        {
            var answer = await AnswerAsync(Prompt(Formula), Market);
            var rate = Percent(answer["market_growth_rate"]) / 100;
            Assert.Equal(Billions(answer["market_size_2024"]) * (1 + rate), Billions(answer["market_size_2025_projected"]), 0.01);
        }
    }

    [Fact]
    public async Task A_direction_puts_the_projection_on_the_side_the_rate_says()
    {
        for (var i = 0; i < 8; i++)
        {
            var answer = await AnswerAsync(Prompt(Direction), Market);
            Assert.True(Percent(answer["market_growth_rate"]) > 0);
            Assert.True(Billions(answer["market_size_2025_projected"]) > Billions(answer["market_size_2024"]), answer.ToJsonString());
        }
    }

    [Fact]
    public async Task Formulas_and_directions_naming_fields_the_answer_lacks_add_nothing()
    {
        var answer = await AnswerAsync(Prompt(Formula, Direction), Avatar);

        Assert.Equal(["demographics"], answer.Select(p => p.Key));
    }

    [Theory]
    [InlineData(80, 90)]
    [InlineData(45, 58)]
    [InlineData(20, 30)]
    public async Task An_age_range_is_brought_inside_the_stated_range(int min, int max)
    {
        var answer = await AnswerAsync(Prompt($"demographics.age_range must lie within {min}-{max}: the segment's ages."), Avatar);

        var ages = Regex.Matches(answer["demographics"]!["age_range"]!.GetValue<string>(), @"\d+").Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(ages);
        Assert.All(ages, a => Assert.InRange(a, min, max));
    }

    [Theory]
    [InlineData("at least $400,000", 400_000, double.MaxValue)]
    [InlineData("within $20,000-$30,000", 20_000, 30_000)]
    public async Task A_dollar_figure_is_moved_inside_the_stated_bounds(string bounds, double min, double max)
    {
        var answer = await AnswerAsync(Prompt($"demographics.household_income must be a dollar figure {bounds}: the segment's income."), Avatar);

        Assert.InRange(Dollars(answer["demographics"]!["household_income"]), min, max);
    }

    [Fact]
    public async Task Ranges_and_bounds_on_fields_the_answer_lacks_add_nothing()
    {
        var answer = await AnswerAsync(Prompt("avatar.age_range must lie within 80-90.", "avatar.household_income must be a dollar figure at least $400,000."), Market);

        Assert.Equal(["market_growth_rate", "market_size_2024", "market_size_2025_projected"], answer.Select(p => p.Key).Order());
    }

    /// <summary>Enums of one member make every name the same, so only the instruction can tell them apart.</summary>
    private static readonly JsonObject SameNames = Schema("""
        {"type":"object","properties":{
          "core_offer":{"type":"object","properties":{"offer_name":{"type":"string","enum":["Growth Sprint"]}}},
          "pricing_tiers":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"object","properties":{
             "tier_name":{"type":"string","enum":["Growth Sprint"]}}}}}}
        """);

    private static List<string> Names(JsonObject answer) =>
        [answer["core_offer"]!["offer_name"]!.GetValue<string>(), .. answer["pricing_tiers"]!.AsArray().Select(t => t!["tier_name"]!.GetValue<string>())];

    [Fact]
    public async Task Each_name_is_made_its_own_when_the_prompt_asks()
    {
        var answer = await AnswerAsync(Prompt("Give each tier its own name, different from the other tiers and from core_offer.offer_name."), SameNames);

        var names = Names(answer);
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("Growth Sprint", names[0]);
    }

    [Theory]
    [InlineData("\"Growth Sprint\", \"Growth Plan\"")]
    [InlineData("[\"Growth Sprint\",\"Growth Plan\"]")]
    public async Task Names_the_prompt_lists_as_taken_are_not_used(string listed)
    {
        var answer = await AnswerAsync(Prompt($"Give every tier its own name, different from these names already in the offer: {listed}."), SameNames);

        Assert.DoesNotContain("Growth Sprint", Names(answer));
        Assert.Equal(4, Names(answer).Distinct().Count());
    }

    [Fact]
    public async Task Names_may_repeat_when_no_instruction_asks_otherwise()
    {
        var answer = await AnswerAsync(Prompt(), SameNames);

        Assert.All(Names(answer), n => Assert.Equal("Growth Sprint", n));
    }

    [Fact]
    public async Task A_realistic_model_overlooks_an_instruction_at_its_miss_rate()
    {
        const string rule = "demographics.age_range must lie within 80-90: the segment's ages.";
        var missed = await AnswerAsync(Prompt(rule), Avatar, """{"behaviour": "realistic", "instructionMissRate": 1}""");
        var followed = await AnswerAsync(Prompt(rule), Avatar, """{"behaviour": "realistic", "instructionMissRate": 0}""");

        Assert.DoesNotMatch("8[0-9]", missed["demographics"]!["age_range"]!.GetValue<string>());
        Assert.Matches("^8[0-9]-(8[0-9]|90)$", followed["demographics"]!["age_range"]!.GetValue<string>());
    }

    private static double Percent(JsonNode? text) =>
        double.Parse(PercentNumber().Match(text!.GetValue<string>()).Groups[1].Value, CultureInfo.InvariantCulture);

    private static double Billions(JsonNode? text) =>
        double.Parse(BillionNumber().Match(text!.GetValue<string>()).Groups[1].Value, CultureInfo.InvariantCulture);

    private static double Dollars(JsonNode? text) =>
        double.Parse(DollarNumber().Match(text!.GetValue<string>()).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(-?\d+(?:\.\d+)?)\s*%")]
    private static partial Regex PercentNumber();

    [GeneratedRegex(@"\$(\d+(?:\.\d+)?) billion")]
    private static partial Regex BillionNumber();

    [GeneratedRegex(@"\$(\d[\d,]*)")]
    private static partial Regex DollarNumber();
}
