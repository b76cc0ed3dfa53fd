using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Profiles;

namespace MarketIntel.Pipeline.Stages;

/// <summary>
/// Everything a stage may read: the profile, the offer preferences (offer stages) and the latest outputs of earlier
/// stages, as raw content (JSON text or Markdown) keyed by stage number.
/// </summary>
public sealed class StageInput(BusinessProfile profile, OfferPreferences? preferences, IReadOnlyDictionary<int, string> outputs)
{
    public BusinessProfile Profile { get; } = profile;

    public OfferPreferences? Preferences { get; } = preferences;

    public IReadOnlyDictionary<int, string> Outputs { get; } = outputs;

    public OfferPreferences RequirePreferences() =>
        Preferences ?? throw new StageInputException("Offer preferences are required for offer stages.");

    public string RawOutput(int stage) =>
        Outputs.TryGetValue(stage, out var content)
            ? content
            : throw new StageInputException($"The output of stage {stage} is required but missing.");

    /// <summary>The output of an earlier stage as its record. Outputs were validated when stored, so this only fails
    /// when a caller forgot to declare the dependency.</summary>
    public T Get<T>(int stage) =>
        JsonSerializer.Deserialize<T>(RawOutput(stage), PipelineJson.Options)
        ?? throw new StageInputException($"The output of stage {stage} is empty.");

    /// <summary>Canonical JSON of exactly what <paramref name="stage"/> reads: the basis of its cache key.</summary>
    public string CanonicalInputsFor(IStage stage)
    {
        var inputs = new JsonObject
        {
            ["profile"] = PipelineJson.ToNode(Profile),
            ["preferences"] = stage.Number >= StageCatalog.FirstOfferStage ? PipelineJson.ToNode(Preferences) : null,
        };
        var outputs = new JsonObject();
        foreach (var read in stage.Reads.Order())
        {
            var raw = RawOutput(read);
            outputs[read.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                StageCatalog.Get(read).OutputKind == StageOutputKind.Json ? JsonNode.Parse(raw) : JsonValue.Create(raw);
        }
        inputs["outputs"] = outputs;
        return PipelineJson.Canonicalize(inputs);
    }
}

/// <summary>A stage was asked to run without an input it needs: a programming or data error, never the model's fault.</summary>
public sealed class StageInputException(string message) : Exception(message);
