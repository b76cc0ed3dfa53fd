using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// The emulator must answer like a good model: for every sample business and several seeds, every stage's answer,
/// requested through the real OpenAI client exactly as the worker requests it, passes that stage's validator with no
/// errors, no warnings and a quality score of 100.
/// </summary>
public class EmulatorAgreementTests
{
    private static readonly int[] Seeds = [1, 7, 42, 2025];

    private static readonly IReadOnlyList<int> AllStages = StageCatalog.All.Select(s => s.Number).ToList();

    public static TheoryData<string, int> SamplesAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var sample in SampleSuite.LoadAll())
        {
            foreach (var seed in Seeds)
            {
                data.Add(sample.Id, seed);
            }
        }
        return data;
    }

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var sample in SampleSuite.LoadAll())
        {
            data.Add(sample.Id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SamplesAndSeeds))]
    public async Task Every_stage_passes_its_validator_with_the_schema_as_response_format(string sampleId, int seed)
    {
        using var host = new EmulatorHost(seed);
        var outcomes = await EmulatorPipeline.RunAsync(host, SampleSuite.Get(sampleId), AllStages, _ => (EmulatorHost.Llama31, EmulatorPipeline.Condensed));

        EmulatorPipeline.AssertPerfect(outcomes, $"{sampleId}, seed {seed}");
        Assert.Equal(AllStages, outcomes.Select(o => o.Stage.Number).Order());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_stage_passes_its_validator_with_the_schema_in_the_prompt(string sampleId)
    {
        using var host = new EmulatorHost(11);
        var options = new PromptOptions(SchemaInPrompt: true, FullResearchData: false);
        var outcomes = await EmulatorPipeline.RunAsync(host, SampleSuite.Get(sampleId), AllStages, _ => (EmulatorHost.Llama31, options));

        EmulatorPipeline.AssertPerfect(outcomes, $"{sampleId}, schema in prompt");
        Assert.Equal(AllStages, outcomes.Select(o => o.Stage.Number).Order());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Report_and_offer_stages_pass_on_the_long_context_model_with_full_research_data(string sampleId)
    {
        using var host = new EmulatorHost(23);
        var sample = SampleSuite.Get(sampleId);
        var outputs = new Dictionary<int, string>();
        var research = await EmulatorPipeline.RunAsync(host, sample, [1, 2, 3, 4, 5], _ => (EmulatorHost.Llama31, EmulatorPipeline.Condensed), outputs);
        EmulatorPipeline.AssertPerfect(research, $"{sampleId}, research on Llama 3.1");

        // Mistral takes no JSON-schema response format, so (as the worker does) the schema travels in the prompt.
        var full = new PromptOptions(SchemaInPrompt: true, FullResearchData: true);
        var rest = AllStages.Where(n => n >= 6).ToList();
        var outcomes = await EmulatorPipeline.RunAsync(host, sample, rest, _ => (EmulatorHost.Mistral, full), outputs);

        EmulatorPipeline.AssertPerfect(outcomes, $"{sampleId}, Mistral with full research data");
        Assert.Equal(rest, outcomes.Select(o => o.Stage.Number).Order());
    }
}
