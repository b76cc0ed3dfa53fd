using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using Microsoft.Extensions.AI;

namespace MarketIntel.Pipeline.Prompts;

/// <summary>
/// What the stage runner does with a model's whole answer, as pure functions: extract and validate it (a cut-off answer
/// is never accepted), and word the re-ask that hands the validator's findings back to the model.
/// </summary>
public static class ModelAnswer
{
    /// <summary>Extracts the answer from the reply and validates it; a cut-off reply is never accepted.</summary>
    public static (string Content, ValidationResult Validation) ParseAndValidate(IStage stage, StageInput input, string reply, ChatFinishReason? finishReason) =>
        ParseAndValidate(stage, reply, finishReason, content => stage.Validate(content, input));

    /// <summary>The same for one part of a stage's answer (a section), judged by <paramref name="validate"/>.</summary>
    public static (string Content, ValidationResult Validation) ParseAndValidate(IStage stage, string reply, ChatFinishReason? finishReason, Func<string, ValidationResult> validate)
    {
        string content;
        if (stage.OutputKind == StageOutputKind.Json)
        {
            if (!ModelOutputParser.TryExtractJsonObject(reply, out var json))
            {
                return (reply, Invalid(stage, reply, "The reply contained no JSON object."));
            }
            try
            {
                content = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!.ToJsonString();
            }
            catch (JsonException e)
            {
                return (json, Invalid(stage, json, $"The reply's JSON is malformed: {e.Message}"));
            }
        }
        else
        {
            content = ModelOutputParser.UnwrapMarkdown(reply);
        }

        var validation = validate(content);
        if (finishReason == ChatFinishReason.Length)
        {
            validation = validation with
            {
                Errors = [.. validation.Errors, "The reply was cut off at the output-token limit (finish_reason: length)."],
                QualityScore = stage.Weights.Score(validation.Errors.Count + 1, validation.Warnings.Count),
            };
        }
        return (content, validation);
    }

    private static ValidationResult Invalid(IStage stage, string reply, string error)
    {
        var builder = new ValidationBuilder(stage.Number, stage.Name, stage.Weights);
        builder.Error(error);
        return builder.Build(reply.Length);
    }

    /// <param name="section">True when the answer is one section of a sectioned stage, not the whole.</param>
    public static string ReaskPrompt(IStage stage, IReadOnlyList<string> errors, bool section = false) =>
        "Your previous answer did not pass validation:\n"
        + string.Join("\n", errors.Where(e => !e.StartsWith("warning:", StringComparison.Ordinal)).Take(20).Select(e => "- " + e))
        + (stage.OutputKind == StageOutputKind.Json
            ? "\nReply again with the complete, corrected JSON object only."
            : section
                ? "\nReply again with the complete, corrected section only."
                : "\nReply again with the complete, corrected report only.");
}
