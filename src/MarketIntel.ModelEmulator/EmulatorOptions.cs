using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketIntel.ModelEmulator;

/// <summary>The <c>Emulator</c> configuration section: a global latency scale, the seed and the per-model profiles.</summary>
public sealed class EmulatorOptions : IValidatableObject
{
    public const string SectionName = "Emulator";

    /// <summary>Multiplies every simulated delay; 0 answers at once (tests), 1 mirrors the real models.</summary>
    [Range(0.0, 100.0)]
    public double LatencyScale { get; set; } = 1.0;

    /// <summary>Seed of the one random sequence behind every choice, so a run can be reproduced.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The profile of a model that has none of its own.</summary>
    [Required]
    public ModelProfile DefaultProfile { get; set; } = new();

    /// <summary>Profiles by model id, e.g. <c>@cf/meta/llama-3.1-70b-instruct</c>.</summary>
    public Dictionary<string, ModelProfile> Profiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var error in ModelProfile.ValidateProfile(DefaultProfile, "DefaultProfile"))
        {
            yield return error;
        }
        foreach (var (model, profile) in Profiles)
        {
            foreach (var error in ModelProfile.ValidateProfile(profile, $"Profiles:{model}"))
            {
                yield return error;
            }
        }
    }
}

/// <summary>How an emulated model follows the instructions of a request.</summary>
[JsonConverter(typeof(ModelBehaviourConverter))]
public enum ModelBehaviour
{
    /// <summary>Follows every instruction the request states, exactly: the behaviour the pipeline's tests build on.</summary>
    Deterministic,

    /// <summary>
    /// Writes like the real models: long answers fall short of the words asked, list lengths are sometimes off by one,
    /// fixed values are sometimes ignored, and a re-ask fixes the answer only some of the time.
    /// </summary>
    Realistic,
}

/// <summary>Reads "realistic" or "Realistic" and writes "realistic", so the admin API and the header speak lower case.</summary>
internal sealed class ModelBehaviourConverter() : JsonStringEnumConverter<ModelBehaviour>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

/// <summary>How one emulated model behaves: its speed, its context window and how often it fails, and how.</summary>
public sealed record ModelProfile
{
    public ModelBehaviour Behaviour { get; init; } = ModelBehaviour.Deterministic;

    /// <summary>Realistic: the share of the words asked that a very long answer reaches (the original's one real report: ~0.5).</summary>
    [Range(0.05, 1.0)]
    public double LongFormWordFraction { get; init; } = 0.5;

    /// <summary>
    /// Realistic: the length scale, in words asked, below which an answer comes close to its target; the shortfall grows
    /// towards <see cref="LongFormWordFraction"/> as the ask grows past it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ShortFormWords { get; init; } = 1500;

    /// <summary>Realistic: the chance that a list has one item more or fewer than the schema or prompt asks.</summary>
    [Range(0.0, 1.0)]
    public double ListOffByOneRate { get; init; } = 0.15;

    /// <summary>Realistic: the chance that each value of the prompt's "Fixed values" block is written as given.</summary>
    [Range(0.0, 1.0)]
    public double FixedValueRate { get; init; } = 0.9;

    /// <summary>
    /// Realistic: the chance that each instruction sentence of the prompt (a formula, a range, a table column's values,
    /// quotes to include) is overlooked, as a model skims a long list of rules.
    /// </summary>
    [Range(0.0, 1.0)]
    public double InstructionMissRate { get; init; } = 0.1;

    /// <summary>Realistic: the chance that an answer asked again with the validator's errors follows the instructions.</summary>
    [Range(0.0, 1.0)]
    public double ReaskFixRate { get; init; } = 0.8;

    [Range(0, 600_000)]
    public int TimeToFirstTokenMs { get; init; } = 800;

    [Range(0.1, 100_000)]
    public double TokensPerSecond { get; init; } = 40;

    [Range(1, 10_000_000)]
    public int ContextWindow { get; init; } = 24_000;

    [Range(0.0, 1.0)]
    public double Http500Rate { get; init; }

    /// <summary>HTTP 429 with Workers AI error 3040 (capacity) and <c>Retry-After: 1</c>.</summary>
    [Range(0.0, 1.0)]
    public double Http429Rate { get; init; }

    /// <summary>HTTP 429 with Workers AI error 3036 (daily free allocation exhausted): not worth a retry.</summary>
    [Range(0.0, 1.0)]
    public double QuotaExhaustedRate { get; init; }

    /// <summary>The answer is held back for <see cref="TimeoutDelayMs"/> so the client gives up first.</summary>
    [Range(0.0, 1.0)]
    public double TimeoutRate { get; init; }

    [Range(0, 3_600_000)]
    public int TimeoutDelayMs { get; init; } = 120_000;

    [Range(0.0, 1.0)]
    public double MalformedJsonRate { get; init; }

    [Range(0.0, 1.0)]
    public double PlaceholderRate { get; init; }

    [Range(0.0, 1.0)]
    public double TruncationRate { get; init; }

    [Range(0.0, 1.0)]
    public double FencedJsonRate { get; init; }

    /// <summary>A streamed answer stops part-way and the connection is held open, as a provider that hangs mid-answer.</summary>
    [Range(0.0, 1.0)]
    public double StallRate { get; init; }

    /// <summary>The share of the answer's chunks sent before a stall.</summary>
    [Range(0.0, 1.0)]
    public double StallAfterFraction { get; init; } = 0.5;

    /// <summary>How long a stalled stream is held open (unless the client leaves first) before the connection is dropped.</summary>
    [Range(0, 3_600_000)]
    public int StallMs { get; init; } = 600_000;

    /// <summary>HTTP 500 (Workers AI 3043) when the response schema has more leaf fields than this; null = never.</summary>
    [Range(0, int.MaxValue)]
    public int? FailSchemaFieldsAbove { get; init; }

    public static IEnumerable<ValidationResult> ValidateProfile(ModelProfile? profile, string name)
    {
        if (profile is null)
        {
            return [new ValidationResult($"The profile {name} is empty.", [name])];
        }
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(profile, new ValidationContext(profile), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"{name}: {r.ErrorMessage}", r.MemberNames.Select(m => $"{name}:{m}")));
    }
}
