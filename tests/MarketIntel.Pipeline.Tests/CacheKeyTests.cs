using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Pipeline.Tests;

public class CacheKeyTests
{
    private static readonly PromptOptions Options = new(SchemaInPrompt: false, FullResearchData: false);

    private static string Key(int stage, StageInput input, string model = "m", int maxTokens = 2500, double temperature = 0.1) =>
        StageCacheKey.Compute(StageCatalog.Get(stage), model, maxTokens, temperature, Options, input.CanonicalInputsFor(StageCatalog.Get(stage)));

    private static Dictionary<int, string> FullResearch() => new(ResearchSamples.Outputs(throughStage: 5))
    {
        [6] = "# report",
    };

    [Fact]
    public void The_same_inputs_give_the_same_key_whatever_the_key_order_of_the_outputs()
    {
        var outputs = FullResearch();
        var reordered = new Dictionary<int, string>(outputs)
        {
            [1] = new JsonObject(JsonNode.Parse(outputs[1])!.AsObject().Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString(),
        };

        Assert.Equal(Key(2, TestData.Input(outputs)), Key(2, TestData.Input(reordered)));
    }

    [Fact]
    public void Editing_stage_2_changes_exactly_the_keys_of_the_stages_downstream_of_it()
    {
        var before = FullResearch();
        var after = new Dictionary<int, string>(before)
        {
            [2] = TestData.Mutate(before[2], o => o["price_justification"] = "Edited by the owner: the programme pays for itself with one promotion."),
        };
        var offer = TestData.OfferInput();

        var changed = StageCatalog.All.Where(s => s.Number != 2)
            .Where(s => Key(s.Number, WithOutputs(s.Number, before, offer)) != Key(s.Number, WithOutputs(s.Number, after, offer)))
            .Select(s => s.Number)
            .ToHashSet();

        Assert.Equal(StageGraph.Downstream(2).ToHashSet(), changed);
        Assert.DoesNotContain(1, changed);
    }

    [Fact]
    public void Model_and_generation_options_are_part_of_the_key()
    {
        var input = TestData.Input();

        Assert.NotEqual(Key(1, input, model: "a"), Key(1, input, model: "b"));
        Assert.NotEqual(Key(1, input, maxTokens: 2500), Key(1, input, maxTokens: 3000));
        Assert.NotEqual(Key(1, input, temperature: 0.1), Key(1, input, temperature: 0.2));
    }

    [Fact]
    public void A_profile_change_changes_the_key()
    {
        var edited = new StageInput(TestData.Profile with { Niche = "Leadership coaching for nurses" }, null, new Dictionary<int, string>());

        Assert.NotEqual(Key(1, TestData.Input()), Key(1, edited));
    }

    private static StageInput WithOutputs(int stage, Dictionary<int, string> research, StageInput offer)
    {
        var outputs = new Dictionary<int, string>(research);
        // Offer stages also read stages 8, 9 and 11; give them fixed ones so only research edits move their keys.
        outputs[8] = ValueStackStageTests.ValidOutput;
        outputs[9] = PricingFrameworkStageTests.ValidOutput;
        outputs[11] = PremiumBonusesStageTests.ValidOutput;
        return new StageInput(TestData.Profile, stage >= StageCatalog.FirstOfferStage ? offer.Preferences : null, outputs);
    }
}
