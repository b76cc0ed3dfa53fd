using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Provider resilience for one model (Polly v8): retries with exponential back-off and jitter on transient failures
/// (honouring Retry-After), a circuit breaker of its own, the provider's shared rate limiter, and a per-attempt timeout
/// taken from the stage's route. Fallback to another model is the stage runner's job, not this client's.
/// </summary>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("marketintel.attempt_timeout");
    private static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(45);

    private readonly ResiliencePipeline _pipeline;

    public ResilientChatClient(IChatClient inner, string modelId, RateLimiter providerLimiter, ModelResilienceOptions options, TimeProvider time)
        : base(inner)
    {
        _pipeline = new ResiliencePipelineBuilder { Name = $"model:{modelId}", TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && args.Outcome.Exception is { } e && ModelCallErrors.IsTransient(e)),
                DelayGenerator = args =>
                {
                    var retryAfter = args.Outcome.Exception is { } e ? ModelCallErrors.RetryAfter(e) : null;
                    return ValueTask.FromResult(retryAfter is { } wait ? (TimeSpan?)Min(wait, options.MaxRetryAfter) : null);
                },
                OnRetry = args =>
                {
                    ModelCallContext.Current?.RecordRetry(args.Outcome.Exception is { } e ? ModelCallErrors.Describe(e) : "unknown");
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && ModelCallErrors.IsTransient(e)),
            })
            .AddRateLimiter(providerLimiter)
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(AttemptTimeoutKey, out var timeout) ? timeout : DefaultAttemptTimeout),
            })
            .Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(AttemptTimeoutKey, ModelCallContext.Current?.AttemptTimeout ?? DefaultAttemptTimeout);
            var materialized = messages as IList<ChatMessage> ?? messages.ToList();
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Client.InnerGetResponseAsync(state.Messages, state.Options, ctx.CancellationToken),
                context,
                (Client: this, Messages: materialized, Options: options));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<ChatResponse> InnerGetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        base.GetResponseAsync(messages, options, cancellationToken);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
