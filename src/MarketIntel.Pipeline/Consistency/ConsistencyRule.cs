using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>
/// A rule that ties one stage's answer to other answers (or to other fields of itself). It names the stage it checks
/// (and so runs after), the stages it reads, the instruction the checked stage's prompt carries, the values code
/// computes for that stage, and the check whose messages go back to the model on a re-ask.
/// </summary>
public interface IConsistencyRule
{
    /// <summary>Stable, readable id, e.g. "plans.pay-in-full-is-price"; it ends every message of the rule.</summary>
    string Id { get; }

    /// <summary>The stage whose answer the rule checks; its Validate runs the rule, its prompt states it.</summary>
    int Stage { get; }

    /// <summary>Stages whose outputs the rule reads (the checked stage included when it reads its own fields).</summary>
    IReadOnlyList<int> Reads { get; }

    /// <summary>What the rule checks, in one sentence (the catalogue in docs/consistency.md says why).</summary>
    string Checks { get; }

    /// <summary>The answer type the rule reads: the stage's output record, or <see cref="string"/> for the report.</summary>
    Type Output { get; }

    /// <summary>
    /// Report rules only: the title of the outline heading whose content the rule checks, so a report written section by
    /// section can give the instruction to that section's call and run the rule on that section's Markdown. Null for
    /// JSON stages.
    /// </summary>
    string? Section { get; }

    /// <summary>The rule as an instruction in the checked stage's prompt; null when it does not apply to this input.</summary>
    string? Instruction(StageInput input);

    /// <summary>Values code computes for the checked stage; its prompt lists them under "Fixed values".</summary>
    IReadOnlyList<FixedValue> FixedValues(StageInput input);
}

/// <inheritdoc />
/// <typeparam name="T">The checked stage's output record, or <see cref="string"/> for the Markdown report.</typeparam>
public sealed class ConsistencyRule<T> : IConsistencyRule where T : class
{
    public required string Id { get; init; }

    public required int Stage { get; init; }

    public required IReadOnlyList<int> Reads { get; init; }

    public required string Checks { get; init; }

    public Type Output => typeof(T);

    public string? Section { get; init; }

    public required Func<StageInput, string?> Instruct { get; init; }

    /// <summary>Computed values; each is checked against the answer, so a rule made only of these needs no <see cref="Check"/>.</summary>
    public Func<StageInput, IReadOnlyList<FixedValue>> Fixes { get; init; } = _ => [];

    /// <summary>Everything wrong with the answer, as messages a model can act on.</summary>
    public Func<T, StageInput, IEnumerable<string>> Check { get; init; } = (_, _) => [];

    public string? Instruction(StageInput input) => Instruct(input);

    public IReadOnlyList<FixedValue> FixedValues(StageInput input) => Fixes(input);

    /// <summary>The rule's errors on one answer: fixed values not copied, then the check's findings, each tagged with the id.</summary>
    /// <param name="answer">The answer as JSON, where the fixed values are looked up; null for the Markdown report.</param>
    public IReadOnlyList<string> Errors(T output, JsonNode? answer, StageInput input) =>
    [
        .. Fixes(input).Select(f => f.Mismatch(answer)).OfType<string>()
            .Concat(Check(output, input))
            .Select(message => $"{message} [{Id}]"),
    ];
}
