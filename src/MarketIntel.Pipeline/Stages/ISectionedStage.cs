using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages;

/// <summary>
/// A stage whose answer is written in parts, each by its own call to the stage's model, and assembled by code.
/// The runner writes <see cref="Sections"/> side by side, then <see cref="Summary"/> from what they wrote, re-asks a
/// part that fails <see cref="ValidateSection"/> on its own, and stores <see cref="Assemble"/>'s result after it passes
/// the stage's whole-answer <see cref="IStage.Validate"/>.
/// </summary>
public interface ISectionedStage : IStage
{
    /// <summary>The parts written first, independently of each other (so in parallel).</summary>
    IReadOnlyList<StageSection> Sections(StageInput input, PromptOptions options);

    /// <summary>The part written last, from the validated parts; <paramref name="written"/> is keyed by section key.</summary>
    StageSection Summary(StageInput input, IReadOnlyDictionary<string, string> written, PromptOptions options);

    /// <summary>Judges one part on its own; its errors are what a re-ask of that part quotes.</summary>
    ValidationResult ValidateSection(StageSection section, string content, StageInput input);

    /// <summary>The whole answer from every part, keys = the section keys including the summary's.</summary>
    string Assemble(StageInput input, IReadOnlyDictionary<string, string> written);
}

/// <summary>One part of a sectioned stage: its key, a title for logs and telemetry, its messages and its output budget.</summary>
public sealed record StageSection(string Key, string Title, StagePrompt Prompt, int MaxTokens);
