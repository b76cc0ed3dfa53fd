using System.ComponentModel.DataAnnotations;

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

/// <summary>How one emulated model behaves: its speed, its context window and how often it fails, and how.</summary>
public sealed record ModelProfile
{
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
