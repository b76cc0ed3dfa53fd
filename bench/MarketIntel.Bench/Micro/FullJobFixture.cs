using System.Text.Json.Nodes;
using MarketIntel.ModelEmulator;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Bench.Micro;

/// <summary>
/// A complete, valid run of all 13 stages for one sample profile, written by the model emulator's own generators from
/// the real prompts, so the micro-benchmarks measure realistic sizes without a server.
/// </summary>
internal sealed class FullJobFixture
{
    public static readonly PromptOptions Options = new(SchemaInPrompt: false, FullResearchData: false);

    private FullJobFixture(StageInput input, IReadOnlyDictionary<int, string> prompts)
    {
        Input = input;
        PromptTexts = prompts;
    }

    /// <summary>The profile, preferences and every stage's output.</summary>
    public StageInput Input { get; }

    /// <summary>System and user text of each stage's prompt.</summary>
    public IReadOnlyDictionary<int, string> PromptTexts { get; }

    public static FullJobFixture Create(string sampleId = "wealth-executive-coaching")
    {
        var sample = SampleSuite.Get(sampleId);
        var outputs = new Dictionary<int, string>();
        var prompts = new Dictionary<int, string>();
        var random = new Random(20261127);
        foreach (var stage in StageCatalog.All)
        {
            var input = new StageInput(sample.Profile, sample.Preferences, outputs);
            var prompt = stage.BuildPrompt(input, Options);
            var text = prompt.System + "\n\n" + prompt.User;
            var profileData = ProfileData.Parse(text);
            var content = prompt.ResponseSchema is { } schema
                ? Generate(schema, random, profileData, stage.DefaultMaxTokens)
                : new MarkdownReportGenerator(random, profileData).Generate(text);
            var validation = stage.Validate(content, input);
            if (!validation.IsValid)
            {
                throw new InvalidOperationException(
                    $"The emulator's answer for stage {stage.Number} is invalid: {string.Join("; ", validation.Errors.Take(3))}");
            }
            outputs[stage.Number] = content;
            prompts[stage.Number] = text;
        }
        return new FullJobFixture(new StageInput(sample.Profile, sample.Preferences, outputs), prompts);
    }

    /// <summary>As the emulator answers: the compact draft when the full one would crowd the output budget.</summary>
    private static string Generate(JsonObject schema, Random random, ProfileData profile, int maxTokens)
    {
        var content = new SchemaInstanceGenerator(random, profile).Generate(schema)!.ToJsonString();
        return ChatEmulator.EstimateTokens(content.Length) > maxTokens * 0.8
            ? new SchemaInstanceGenerator(random, profile, compact: true).Generate(schema)!.ToJsonString()
            : content;
    }
}
