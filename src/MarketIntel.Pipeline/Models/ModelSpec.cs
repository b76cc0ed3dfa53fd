using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Models;

/// <summary>One model of the catalogue (configuration section <c>Models</c>), with what budgeting and costing need.</summary>
public sealed record ModelSpec
{
    [Required]
    public string Id { get; init; } = "";

    /// <summary>Name of an entry in <c>Providers</c> (e.g. <c>workers-ai</c>).</summary>
    [Required]
    public string Provider { get; init; } = "";

    public string DisplayName { get; init; } = "";

    [Range(1024, 10_000_000)]
    public int ContextWindow { get; init; }

    [Range(256, 1_000_000)]
    public int MaxOutputTokens { get; init; }

    /// <summary>US dollars per million input tokens.</summary>
    [Range(0, 1000)]
    public decimal InputPricePerMillion { get; init; }

    /// <summary>US dollars per million output tokens.</summary>
    [Range(0, 1000)]
    public decimal OutputPricePerMillion { get; init; }

    /// <summary>Whether the model honours a JSON-schema response format; otherwise the schema goes into the prompt.</summary>
    public bool SupportsJsonSchema { get; init; }

    /// <summary>How fast the model answers: what the timeouts of a call and the job's time estimate are derived from.</summary>
    [Required]
    public ModelThroughput Throughput { get; init; } = new();

    /// <summary>Models at or above this window get the full research data instead of the condensed summary.</summary>
    public const int LongContextThreshold = 100_000;

    public bool IsLongContext => ContextWindow >= LongContextThreshold;

    public decimal Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPricePerMillion + outputTokens * OutputPricePerMillion) / 1_000_000m;
}

/// <summary>The model catalogue, bound from configuration.</summary>
public sealed class ModelCatalogOptions
{
    public const string SectionName = "Models";

    [MinLength(1)]
    public List<ModelSpec> Catalog { get; init; } = [];

    public ModelSpec? Find(string id) => Catalog.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));

    public ModelSpec Get(string id) =>
        Find(id) ?? throw new KeyNotFoundException($"Model '{id}' is not in the catalogue.");
}
