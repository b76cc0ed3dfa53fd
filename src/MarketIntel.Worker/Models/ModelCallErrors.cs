using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace MarketIntel.Worker.Models;

/// <summary>Classifies provider failures: what is worth retrying, and what the provider asked us to wait.</summary>
public static class ModelCallErrors
{
    /// <summary>Workers AI: capacity temporarily exceeded — retry later.</summary>
    public const int WorkersAiCapacityExceeded = 3040;

    /// <summary>Workers AI: daily allocation used up — retrying only burns time until tomorrow.</summary>
    public const int WorkersAiQuotaExhausted = 3036;

    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutRejectedException => true,
        ModelStreamException => true,
        HttpRequestException => true,
        IOException => true,
        ClientResultException { Status: 429 } e => !HasErrorCode(e, WorkersAiQuotaExhausted),
        ClientResultException { Status: 408 or >= 500 } => true,
        // The OpenAI client reports connection failures with status 0.
        ClientResultException { Status: 0 } => true,
        _ => false,
    };

    /// <summary>A short, secret-free description for attempt records and logs.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        TimeoutRejectedException t => $"timeout after {t.Timeout.TotalSeconds:0.#} s",
        ModelStreamException s => s.Message,
        BrokenCircuitException => "circuit open: the model failed too often recently",
        RateLimiterRejectedException => "rate limit of the provider reached",
        ClientResultException { Status: 429 } e when HasErrorCode(e, WorkersAiQuotaExhausted) => "HTTP 429: daily quota exhausted (3036)",
        ClientResultException { Status: 429 } e when HasErrorCode(e, WorkersAiCapacityExceeded) => "HTTP 429: capacity temporarily exceeded (3040)",
        ClientResultException { Status: > 0 } e => $"HTTP {e.Status}",
        ClientResultException => "connection failed",
        HttpRequestException h => $"connection failed ({h.HttpRequestError})",
        IOException => "connection broken",
        _ => exception.GetType().Name,
    };

    public static TimeSpan? RetryAfter(Exception exception)
    {
        if (exception is not ClientResultException e || e.GetRawResponse() is not PipelineResponse response
            || !response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow
            : null;
    }

    private static bool HasErrorCode(ClientResultException exception, int code)
    {
        var body = exception.GetRawResponse()?.Content?.ToString();
        return body is not null && System.Text.RegularExpressions.Regex.IsMatch(body, $"\"code\"\\s*:\\s*{code}\\b");
    }
}
