using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Consistency;
using MarketIntel.Pipeline.Schema;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Tests;

/// <summary>Whatever the schema allows, the stage's validator accepts: prompt, schema and validator agree.</summary>
public class SchemaAgreementTests
{
    public static TheoryData<int> JsonStages() =>
        new(StageCatalog.All.Where(s => s.OutputKind == StageOutputKind.Json).Select(s => s.Number));

    [Theory]
    [MemberData(nameof(JsonStages))]
    public void The_schema_accepts_its_own_minimal_and_maximal_instances(int stage)
    {
        var schema = StageCatalog.Get(stage).ResponseSchema!;

        foreach (var instance in new[] { SchemaInstanceFactory.Minimal(schema), SchemaInstanceFactory.Maximal(schema) })
        {
            var result = new ValidationBuilder(stage, "schema", ScoreWeights.Generic);
            SchemaValidator.Validate(instance, schema, result);
            Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors));
        }
    }

    [Theory]
    [MemberData(nameof(JsonStages))]
    public void The_stage_validator_accepts_a_minimal_instance(int stage) =>
        AssertAccepted(stage, SchemaInstanceFactory.Minimal(StageCatalog.Get(stage).ResponseSchema!));

    [Theory]
    [MemberData(nameof(JsonStages))]
    public void The_stage_validator_accepts_a_maximal_instance(int stage) =>
        AssertAccepted(stage, SchemaInstanceFactory.Maximal(StageCatalog.Get(stage).ResponseSchema!));

    /// <summary>Stage 1 describes its fields in prose; stages 2-5 name them, so a renamed field shows up here.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_prompt_names_every_top_level_field_of_the_schema(int stage)
    {
        var instance = StageCatalog.Get(stage);
        var prompt = instance.BuildPrompt(ResearchSamples.Input(stage - 1), new PromptOptions(SchemaInPrompt: false, FullResearchData: false));

        foreach (var (field, _) in instance.ResponseSchema!["properties"]!.AsObject())
        {
            Assert.Contains(field, prompt.User, StringComparison.Ordinal);
        }
    }

    private static void AssertAccepted(int stage, JsonObject instance)
    {
        var input = InputFor(stage);
        // A model following the prompt copies the fixed values; the schema alone cannot know them.
        foreach (var value in ConsistencyRules.FixedValues(stage, input))
        {
            TestData.Set(instance, value.Path, value.Value.DeepClone());
        }
        AdjustForContentRules(stage, instance);

        var result = StageCatalog.Get(stage).Validate(instance.ToJsonString(), input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    /// <summary>What the stage reads: earlier research for stages 1-5; a complete job for the offer stages.</summary>
    private static StageInput InputFor(int stage) =>
        stage >= StageCatalog.FirstOfferStage ? OfferStageTestKit.Job() : ResearchSamples.Input(stage - 1);

    /// <summary>Rules a schema cannot express need values a schema walk cannot guess.</summary>
    private static void AdjustForContentRules(int stage, JsonObject instance)
    {
        switch (stage)
        {
            case 4:
                instance["demographics"]!["age_range"] = "38"; // inside the segment's ages, which stage 1 states
                foreach (var community in instance["online_communities"]!.AsArray().Where(c => c!["url"] is not null))
                {
                    community!["url"] = "https://www.reddit.com/r/ExperiencedDevs/";
                }
                break;
            case 5:
                AdjustOffer(instance);
                break;
            case 8:
                instance["total_perceived_value"] = Sum(instance["core_components"]!, "perceived_value");
                break;
            case 10:
                var plans = instance["payment_plans"]!.AsArray();
                for (var i = 0; i < plans.Count; i++)
                {
                    plans[i]!["is_recommended"] = i == 0;
                }
                break;
            case 11:
                instance["total_bonus_value"] = Sum(instance["bonuses"]!, "perceived_value");
                break;
            case 12:
                string[] levels = ["low", "moderate", "high"];
                var guarantees = instance["guarantee_options"]!.AsArray();
                for (var i = 0; i < guarantees.Count; i++)
                {
                    guarantees[i]!["risk_level"] = levels[i];
                }
                break;
            case 13:
                AdjustUpsells(instance);
                break;
        }
    }

    private static decimal Sum(JsonNode items, string field) => items.AsArray().Sum(i => Dollars(i![field]!));

    /// <summary>A number node as decimal, whether the factory made it from a double or it was parsed from text.</summary>
    private static decimal Dollars(JsonNode value) =>
        decimal.Parse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every perceived value above its price (the upsell prices are fixed values), and the bump total equal to the sum.</summary>
    private static void AdjustUpsells(JsonObject instance)
    {
        foreach (var upsell in instance["upsells"]!.AsArray())
        {
            upsell!["perceived_value"] = Dollars(upsell["price"]!) * 4;
        }
        foreach (var bump in instance["order_bumps"]!.AsArray())
        {
            bump!["perceived_value"] = Dollars(bump["price"]!) * 3;
        }
        instance["total_order_bump_revenue_potential"] = Sum(instance["order_bumps"]!, "price");
    }

    private static void AdjustOffer(JsonObject instance)
    {
        decimal[] prices = [12_000, 25_000, 45_000];
        var tiers = instance["pricing_tiers"]!.AsArray();
        for (var i = 0; i < tiers.Count; i++)
        {
            tiers[i]!["tier_number"] = i + 1;
            tiers[i]!["price"] = prices[i];
            tiers[i]!["is_recommended"] = i == 1;
        }
        var messages = instance["marketing_messages"]!.AsArray();
        string[] types = ["pain-based", "desire-based", "curiosity"];
        for (var i = 0; i < messages.Count; i++)
        {
            messages[i]!["type"] = types[i / 5];
        }
    }
}
