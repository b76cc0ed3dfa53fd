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

    /// <summary>
    /// The request field that carries the output budget. Workers AI honours <c>max_tokens</c> and, without it, cuts every
    /// answer at 256 tokens; the OpenAI SDK writes <c>max_completion_tokens</c>, which it ignores (docs/real-speed.md).
    /// </summary>
    [AllowedValues(MaxTokensField, MaxCompletionTokensField)]
    public string MaxTokensParameter { get; init; } = MaxTokensField;

    public const string MaxTokensField = "max_tokens";
    public const string MaxCompletionTokensField = "max_completion_tokens";

    public bool IsWorkersAi => !string.IsNullOrWhiteSpace(AccountId) && !string.IsNullOrWhiteSpace(ApiToken);

    /// <summary>Who answers this provider's models: the provider itself, or the emulator when it has no credentials.</summary>
    public bool ServedByEmulator => !IsWorkersAi && string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>
    /// Half a set of credentials is a mistake to report at start, not a reason to answer from the emulator quietly.
    /// </summary>
    public IEnumerable<string> Problems(string provider)
    {
        var hasAccount = !string.IsNullOrWhiteSpace(AccountId);
        var hasToken = !string.IsNullOrWhiteSpace(ApiToken);
        if (hasAccount != hasToken)
        {
            yield return $"Provider '{provider}' has {(hasAccount ? "an account id but no API token" : "an API token but no account id")}; "
                + "set both (Workers AI) or neither (the model emulator answers).";
        }
        if (hasAccount && !string.IsNullOrWhiteSpace(BaseUrl))
        {
            yield return $"Provider '{provider}' has both Workers AI credentials and a BaseUrl; set one.";
        }
    }
}

/// <summary>The model emulator, used for every model whose provider has no credentials.</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Resolved through service discovery (the AppHost names the resource <c>model-emulator</c>).</summary>
    [Required]
    public string BaseUrl { get; init; } = "http://model-emulator";
}

/// <summary>Provider-call resilience (docs/architecture.md §4.2); defaults suit Workers AI, tests shorten the delays.</summary>
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
