using System.ClientModel;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// The default Llama 3.3 profile mirrors the real model: HTTP 500 on the 40-field avatar schema (stage 4, the largest),
/// normal answers for every other stage's schema. Requests go through the real OpenAI client.
/// </summary>
public class SchemaSizeFailureTests
{
    [Fact]
    public async Task Llama_3_3_fails_the_avatar_schema_with_HTTP_500_and_answers_every_other_schema()
    {
        using var host = new EmulatorHost(5);
        var sample = SampleSuite.Get("wealth-executive-coaching");
        var outputs = new Dictionary<int, string>();
        var all = StageCatalog.All.Select(s => s.Number).ToList();
        var reference = await EmulatorPipeline.RunAsync(host, sample, all, _ => (EmulatorHost.Llama31, EmulatorPipeline.Condensed), outputs);
        EmulatorPipeline.AssertPerfect(reference, "reference run on Llama 3.1");

        var llama33 = host.ChatClient(EmulatorHost.Llama33);
        var input = new StageInput(sample.Profile, sample.Preferences, outputs);
        foreach (var stage in StageCatalog.All.Where(s => s.OutputKind == StageOutputKind.Json))
        {
            if (stage.Number == 4)
            {
                var failure = await Assert.ThrowsAsync<ClientResultException>(() => EmulatorPipeline.RunStageAsync(llama33, stage, input, EmulatorPipeline.Condensed));
                Assert.Equal(500, failure.Status);
                continue;
            }
            var outcome = await EmulatorPipeline.RunStageAsync(llama33, stage, input, EmulatorPipeline.Condensed);
            Assert.True(outcome.Validation.IsValid, outcome.Describe());
        }
    }
}
