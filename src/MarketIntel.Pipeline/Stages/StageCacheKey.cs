using System.Security.Cryptography;
using System.Text;
using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Stages;

/// <summary>
/// Content address of a stage output: the same stage, prompt version, model, generation options and inputs give the same
/// key, so a rerun costs nothing and an edit changes exactly the keys of the stages that read it.
/// </summary>
public static class StageCacheKey
{
    /// <param name="variant">How the answer was written when a stage can write it in more than one way (a sectioned
    /// stage asked in one call), so the two are never served for each other.</param>
    public static string Compute(IStage stage, string modelId, int maxTokens, double temperature, PromptOptions options, string canonicalInputs, string? variant = null)
    {
        var material = string.Join('\n',
            $"stage={stage.Number}",
            $"prompt={stage.PromptVersion}{(variant is null ? "" : "/" + variant)}",
            $"model={modelId}",
            $"max_tokens={maxTokens}",
            $"temperature={temperature.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}",
            $"schema_in_prompt={options.SchemaInPrompt}",
            $"full_research={options.FullResearchData}",
            canonicalInputs);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }
}
