using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Consistency;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Schema;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages;

/// <summary>
/// A stage that answers with JSON shaped like <typeparamref name="TOutput"/>. The record is the single source of truth:
/// its schema goes to the model (response format or prompt) and drives the validator; the stage adds only the rules a
/// schema cannot express ("exactly one recommended", relations between fields), and the consistency rules of its
/// number (docs/consistency.md) tie the answer to the other stages' answers.
/// </summary>
public abstract class JsonStage<TOutput> : IStage where TOutput : class
{
    /// <summary>Heads the consistency rules in every JSON stage's prompt.</summary>
    public const string ConsistencyHeading = "Consistency with the rest of the plan (checked)";

    public abstract int Number { get; }

    public abstract string Name { get; }

    public abstract StageType Type { get; }

    public abstract IReadOnlyList<int> Reads { get; }

    public abstract int DefaultMaxTokens { get; }

    public abstract string PromptVersion { get; }

    public virtual ScoreWeights Weights => ScoreWeights.Generic;

    public StageOutputKind OutputKind => StageOutputKind.Json;

    public JsonObject ResponseSchema => StageSchema.For<TOutput>();

    JsonObject? IStage.ResponseSchema => ResponseSchema;

    /// <summary>Who the model should be for this stage, in one sentence.</summary>
    protected abstract string Persona { get; }

    public StagePrompt BuildPrompt(StageInput input, PromptOptions options)
    {
        var prompt = new PromptWriter();
        WritePrompt(prompt, input, options);
        if (ConsistencyRules.Instructions(Number, input) is { Count: > 0 } rules)
        {
            prompt.Heading(ConsistencyHeading).Bullets(rules);
        }
        prompt.FixedValues(ConsistencyRules.FixedValues(Number, input));
        var schema = ResponseSchema;
        if (options.SchemaInPrompt)
        {
            prompt.Schema(schema);
        }
        else
        {
            prompt.Line("Reply with one JSON object that follows the response schema exactly.");
        }
        var system = $"{Persona} {PromptWriter.JsonOnlyRules}";
        return new StagePrompt(system, prompt.ToString(), schema, SchemaName);
    }

    /// <summary>Writes the context and the task; the consistency rules, fixed values, schema and JSON rules are added by the base class.</summary>
    protected abstract void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options);

    public ValidationResult Validate(string content, StageInput input)
    {
        var result = new ValidationBuilder(Number, Name, Weights);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            result.Error($"The output is not valid JSON: {e.Message}");
            return result.Build(content.Length);
        }

        // Content rules presuppose a well-formed record: a null the schema forbids would reach them as a null inside a
        // record whose declaration says it cannot be. Such outputs are already invalid, and the schema errors name
        // every gap; checks of values (sums, counts, ranges) still run beside the schema's own value errors.
        if (SchemaValidator.Validate(node, ResponseSchema, result) && TryRead(node) is { } output)
        {
            ValidateContent(output, input, result);
            foreach (var error in ConsistencyRules.Errors(Number, output, node, input))
            {
                result.Error(error);
            }
        }
        return result.Build(content.Length);
    }

    /// <summary>
    /// Rules beyond the schema. Runs only on a well-formed output (see <see cref="SchemaValidator.Validate"/>): every
    /// non-nullable member of <paramref name="output"/> is set, but counts, ranges and enum values may still be off.
    /// </summary>
    protected virtual void ValidateContent(TOutput output, StageInput input, ValidationBuilder result)
    {
    }

    private static TOutput? TryRead(JsonNode? node)
    {
        try
        {
            return node.Deserialize<TOutput>(PipelineJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string SchemaName => string.Concat(Name.Where(char.IsLetterOrDigit));
}
