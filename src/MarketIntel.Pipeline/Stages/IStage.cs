using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages;

public enum StageOutputKind
{
    Json,
    Markdown,
}

/// <summary>What kind of thinking a stage asks for (docs/domain.md §2.0); informs defaults, never behaviour.</summary>
public enum StageType
{
    Analytical,
    Creative,
    Strategic,
    Synthesis,
}

/// <summary>One step of the pipeline: what it reads, how it asks, and how its answer is judged.</summary>
public interface IStage
{
    int Number { get; }

    string Name { get; }

    StageType Type { get; }

    StageOutputKind OutputKind { get; }

    /// <summary>Stages whose outputs this stage reads; they are also its edges in the DAG.</summary>
    IReadOnlyList<int> Reads { get; }

    /// <summary>Output tokens the stage needs by default (docs/domain.md §2.0); routing may override.</summary>
    int DefaultMaxTokens { get; }

    /// <summary>Changes whenever the prompt's wording changes, so cached outputs of an older prompt are not reused.</summary>
    string PromptVersion { get; }

    ScoreWeights Weights { get; }

    /// <summary>The JSON schema of the output (null for Markdown stages).</summary>
    JsonObject? ResponseSchema { get; }

    StagePrompt BuildPrompt(StageInput input, PromptOptions options);

    ValidationResult Validate(string content, StageInput input);
}

/// <summary>How the prompt must be shaped for the model that will answer it.</summary>
/// <param name="SchemaInPrompt">True when the model cannot take a JSON-schema response format, so the prompt carries it.</param>
/// <param name="FullResearchData">True for long-context models: full research data instead of the condensed summary.</param>
public sealed record PromptOptions(bool SchemaInPrompt, bool FullResearchData);

/// <summary>The messages of one stage call.</summary>
public sealed record StagePrompt(string System, string User, JsonObject? ResponseSchema, string SchemaName)
{
    public int Length => System.Length + User.Length;
}
