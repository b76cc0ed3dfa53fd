using MarketIntel.Pipeline.Models;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Per-call settings and findings that travel with a model call through the <c>IChatClient</c> pipeline: the job and
/// the call's timeouts in; provider retries, tokens and cost out. Ambient (async-local) because ChatOptions' additional
/// properties would be sent to the provider.
/// </summary>
public sealed class ModelCallContext
{
    private static readonly AsyncLocal<ModelCallContext?> CurrentContext = new();

    public required CallTimeouts Timeouts { get; init; }

    /// <summary>
    /// The stage the call is for; null outside a stage. The circuit breaker is kept per model and stage, so a model that
    /// fails one stage's request shape (a candidate) cannot open the circuit for the stages it serves as stable.
    /// </summary>
    public int? Stage { get; init; }

    /// <summary>The job that pays for the call (budgets); null for a call outside any job.</summary>
    public string? JobId { get; init; }

    /// <summary>Tokens and US dollars the call produced, as charged by <see cref="BudgetChatClient"/>.</summary>
    public long TokensIn { get; internal set; }

    public long TokensOut { get; internal set; }

    public decimal Cost { get; internal set; }

    public int Retries { get; private set; }

    public List<string> RetryReasons { get; } = [];

    public static ModelCallContext? Current => CurrentContext.Value;

    /// <summary>Makes <paramref name="context"/> current until the returned scope is disposed.</summary>
    public static IDisposable Begin(ModelCallContext context)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = context;
        return new Scope(previous);
    }

    internal void RecordRetry(string reason)
    {
        Retries++;
        RetryReasons.Add(reason);
    }

    private sealed class Scope(ModelCallContext? previous) : IDisposable
    {
        public void Dispose() => CurrentContext.Value = previous;
    }
}
