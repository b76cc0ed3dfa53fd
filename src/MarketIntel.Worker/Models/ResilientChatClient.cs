using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using MarketIntel.Pipeline.Models;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Provider resilience for one model (Polly v8), around streamed calls: retries with exponential back-off and jitter on
/// transient failures (honouring Retry-After), a circuit breaker per stage, the provider's shared rate limiter, and the
/// call's three timeouts (first token, idle between chunks, total), which the stage derives from its output budget and
/// the model's speed (docs/real-speed.md). A failure before the first chunk is retried; once chunks have reached the
/// caller a failure ends the call, so nothing is shown twice. Fallback to another model is the stage runner's job.
/// </summary>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private static readonly ResiliencePropertyKey<CallState> StateKey = new("marketintel.call_state");

    /// <summary>For calls made outside a stage (no <see cref="ModelCallContext"/>): generous, never a 45 s guess.</summary>
    private static readonly CallTimeouts DefaultTimeouts = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(20));

    /// <summary>One pipeline per stage (key 0: a call outside any stage), built on first use; see <see cref="ModelCallContext.Stage"/>.</summary>
    private readonly ConcurrentDictionary<int, ResiliencePipeline> _pipelines = new();
    private readonly string _modelId;
    private readonly RateLimiter _providerLimiter;
    private readonly ModelResilienceOptions _options;
    private readonly TimeProvider _time;

    public ResilientChatClient(IChatClient inner, string modelId, RateLimiter providerLimiter, ModelResilienceOptions options, TimeProvider time)
        : base(inner)
    {
        _modelId = modelId;
        _providerLimiter = providerLimiter;
        _options = options;
        _time = time;
    }

    /// <summary>
    /// The pipeline of one stage. Each has a circuit breaker of its own: a model's failures on one stage's request (a
    /// candidate that cannot produce the avatar schema) say nothing of its health on another stage, where it may be the
    /// stable model with no fallback. The provider's rate limiter is shared by all of them.
    /// </summary>
    private ResiliencePipeline PipelineFor(int stage) => _pipelines.GetOrAdd(stage, Build);

    private ResiliencePipeline Build(int stage)
    {
        var options = _options;
        return new ResiliencePipelineBuilder { Name = $"model:{_modelId}", InstanceName = $"stage:{stage}", TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetries > 0
                    && args.Outcome.Exception is { } e && ModelCallErrors.IsTransient(e)
                    && !args.Context.Properties.GetValue(StateKey, CallState.None).Started),
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
            .AddRateLimiter(_providerLimiter)
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(StateKey, CallState.None).Timeouts.Total),
            })
            .Build();
    }

    /// <summary>Every call streams (a long answer must not sit behind one response timeout); this one collects it.</summary>
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var materialized = messages as IList<ChatMessage> ?? messages.ToList();
        var call = ModelCallContext.Current;
        var state = new CallState(call?.Timeouts ?? DefaultTimeouts);
        var pipeline = PipelineFor(call?.Stage ?? 0);
        // The attempts run inside the pipeline and hand their chunks over a channel, so the breaker and the retry see
        // how a stream ended while the caller reads it as it arrives.
        var chunks = Channel.CreateUnbounded<ChatResponseUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync(pipeline, materialized, options, state, chunks.Writer, stop.Token);
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                yield return chunk;
            }
            await producer;
        }
        finally
        {
            // The caller stopped reading (cancel, or an exception of its own): close the provider's stream at once.
            await stop.CancelAsync();
            await producer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ProduceAsync(ResiliencePipeline pipeline, IList<ChatMessage> messages, ChatOptions? options, CallState state, ChannelWriter<ChatResponseUpdate> writer, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(StateKey, state);
            await pipeline.ExecuteAsync(
                static (ctx, s) => s.Client.StreamOnceAsync(s.Messages, s.Options, s.State, s.Writer, ctx.CancellationToken),
                context,
                (Client: this, Messages: messages, Options: options, State: state, Writer: writer));
            writer.TryComplete();
        }
        catch (Exception e)
        {
            // The reader gets the chunks already written, then this failure (from awaiting the producer).
            writer.TryComplete();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt: reads the provider's stream under the first-token and idle limits.</summary>
    private async ValueTask StreamOnceAsync(IList<ChatMessage> messages, ChatOptions? options, CallState state, ChannelWriter<ChatResponseUpdate> writer, CancellationToken cancellationToken)
    {
        var timeouts = state.Timeouts;
        using var silence = new CancellationTokenSource(timeouts.FirstToken, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        var chunks = 0;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, linked.Token).WithCancellation(linked.Token))
            {
                state.Started = true;
                chunks++;
                silence.CancelAfter(timeouts.Idle);
                await writer.WriteAsync(update, cancellationToken);
            }
        }
        catch (Exception e) when (e is not ModelStreamException)
        {
            // A cancelled read may surface as an IOException from the transport rather than as a cancellation: what
            // was cancelled decides what it means.
            if (cancellationToken.IsCancellationRequested)
            {
                // The total timeout (which the pipeline reports) or the caller.
                throw new OperationCanceledException("The model call was cancelled.", e, cancellationToken);
            }
            if (silence.IsCancellationRequested)
            {
                throw state.Started ? ModelStreamException.Stalled(timeouts.Idle, chunks) : ModelStreamException.NoFirstToken(timeouts.FirstToken);
            }
            if (state.Started)
            {
                throw ModelStreamException.Broken(chunks, e);
            }
            throw;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>What the pipeline's strategies need to know of the call in progress.</summary>
    private sealed class CallState(CallTimeouts timeouts)
    {
        public static readonly CallState None = new(DefaultTimeouts);

        public CallTimeouts Timeouts { get; } = timeouts;

        /// <summary>Set by the first chunk; volatile because the strategies read it on whichever thread ends the attempt.</summary>
        public volatile bool Started;
    }
}
