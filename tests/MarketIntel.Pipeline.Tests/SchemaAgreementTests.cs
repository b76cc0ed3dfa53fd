using System.Text.Json.Nodes;
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
        AdjustForContentRules(stage, instance);

        var result = StageCatalog.Get(stage).Validate(instance.ToJsonString(), ResearchSamples.Input(stage - 1));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    /// <summary>Rules a schema cannot express need values a schema walk cannot guess.</summary>
    private static void AdjustForContentRules(int stage, JsonObject instance)
    {
        switch (stage)
        {
            case 4:
                foreach (var community in instance["online_communities"]!.AsArray().Where(c => c!["url"] is not null))
                {
                    community!["url"] = "https://www.reddit.com/r/ExperiencedDevs/";
                }
                break;
            case 5:
                AdjustOffer(instance);
                break;
        }
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
