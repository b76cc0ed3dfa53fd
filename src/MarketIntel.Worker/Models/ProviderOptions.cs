using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Worker.Models;

/// <summary>
/// How to reach one provider (configuration <c>Providers:&lt;name&gt;</c>). Workers AI needs an account id and an API
/// token; any other OpenAI-compatible server (Ollama, vLLM, OpenAI) needs a base URL. A provider with neither is served
/// by the model emulator.
/// </summary>
public sealed class ProviderOptions
{
    public const string SectionName = "Providers";

    public string? AccountId { get; init; }

    /// <summary>Secret: comes from an AppHost secret parameter or user secrets; never logged.</summary>
    public string? ApiToken { get; init; }

    /// <summary>Base URL of an OpenAI-compatible API, e.g. <c>http://localhost:11434/v1</c>.</summary>
    public string? BaseUrl { get; init; }

    [Range(1, 100_000)]
    public int RequestsPerMinute { get; init; } = 300;

    public bool IsWorkersAi => !string.IsNullOrWhiteSpace(AccountId) && !string.IsNullOrWhiteSpace(ApiToken);
}

/// <summary>The model emulator, used for every model whose provider has no credentials.</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Resolved through service discovery (the AppHost names the resource <c>model-emulator</c>).</summary>
    [Required]
    public string BaseUrl { get; init; } = "http://model-emulator";
}

/// <summary>Provider-call resilience (DESIGN §5); defaults suit Workers AI, tests shorten the delays.</summary>
public sealed class ModelResilienceOptions
{
    public const string SectionName = "ModelResilience";

    [Range(0, 10)]
    public int MaxRetries { get; init; } = 3;

    /// <summary>First back-off delay; doubles per retry, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound on a Retry-After the provider asks for.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; init; } = 0.5;

    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; init; } = 10;

    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}
