using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.ReportSynthesis;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>
/// The catalogue of consistency rules (docs/consistency.md). A JSON stage runs its rules in Validate and states them,
/// with their fixed values, in its prompt (see JsonStage); the report stage calls <see cref="ReportErrors"/> and
/// <see cref="Instructions"/>. To add a rule, add it to one of the lists below and to the docs.
/// </summary>
public static class ConsistencyRules
{
    public static IReadOnlyList<IConsistencyRule> All { get; } =
        [.. MarketRules.All, .. PriceRules.All, .. NameRules.All, .. ReportRules.All];

    public static IReadOnlyList<IConsistencyRule> For(int stage) => [.. All.Where(r => r.Stage == stage)];

    /// <summary>The rules of <paramref name="stage"/> as prompt instructions; rules that do not apply to this input are left out.</summary>
    public static IReadOnlyList<string> Instructions(int stage, StageInput input) =>
        [.. For(stage).Select(r => r.Instruction(input)).OfType<string>()];

    /// <summary>The values code computed for <paramref name="stage"/>, for the prompt's Fixed values block.</summary>
    public static IReadOnlyList<FixedValue> FixedValues(int stage, StageInput input) =>
        [.. For(stage).SelectMany(r => r.FixedValues(input))];

    /// <summary>Every error of <paramref name="stage"/>'s rules on a parsed answer of type <typeparamref name="T"/>.</summary>
    public static IReadOnlyList<string> Errors<T>(int stage, T output, JsonNode? answer, StageInput input) where T : class =>
        [.. For(stage).OfType<ConsistencyRule<T>>().SelectMany(r => r.Errors(output, answer, input))];

    /// <summary>Every error of the report rules on the whole report Markdown: for stage 6's whole-report Validate.</summary>
    public static IReadOnlyList<string> ReportErrors(string report, StageInput input) =>
        Errors(6, report, null, input);

    /// <summary>The report rules about headings of <paramref name="outline"/>: those a section of the report must follow.</summary>
    public static IReadOnlyList<ConsistencyRule<string>> ReportRulesFor(IEnumerable<ReportSection> outline)
    {
        var titles = outline.Select(s => s.Title).ToHashSet(StringComparer.Ordinal);
        return [.. For(6).OfType<ConsistencyRule<string>>().Where(r => r.Section is { } section && titles.Contains(section))];
    }
}
