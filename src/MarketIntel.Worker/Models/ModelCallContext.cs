using MarketIntel.Pipeline.Models;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Per-call settings and findings that travel with a model call through the <c>IChatClient</c> pipeline: the call's
/// timeouts in, the number of provider retries out. Ambient (async-local) because ChatOptions' additional properties
/// would be sent to the provider.
/// </summary>
public sealed class ModelCallContext
{
    private static readonly AsyncLocal<ModelCallContext?> CurrentContext = new();

    public required CallTimeouts Timeouts { get; init; }

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
