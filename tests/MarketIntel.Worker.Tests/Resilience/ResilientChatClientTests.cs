using System.ClientModel;
using System.Threading.RateLimiting;
using MarketIntel.Pipeline.Models;
using MarketIntel.Worker.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace MarketIntel.Worker.Tests.Resilience;

/// <summary>
/// The provider resilience rules of docs/architecture.md §4.2 on <see cref="ResilientChatClient"/>, against a scripted inner client and
/// a fake clock: what is retried, how long it waits, per-attempt timeouts, the breaker and the rate limiter.
/// Nothing here depends on how fast the machine is.
/// </summary>
public sealed class ResilientChatClientTests : IDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly RateLimiter _unlimited = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1000, QueueLimit = 0 });

    /// <summary>No back-off delay: retries happen at once, so only Retry-After would make the clock matter.</summary>
    private static ModelResilienceOptions Options(int maxRetries = 3, int breakerMinimumThroughput = 100) => new()
    {
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.Zero,
        MaxRetryAfter = TimeSpan.FromSeconds(30),
        BreakerFailureRatio = 0.5,
        BreakerMinimumThroughput = breakerMinimumThroughput,
        BreakerSamplingDuration = TimeSpan.FromSeconds(60),
        BreakerBreakDuration = TimeSpan.FromSeconds(30),
    };

    private ResilientChatClient Client(IChatClient inner, ModelResilienceOptions? options = null, RateLimiter? limiter = null, TimeProvider? time = null) =>
        new(inner, "@cf/test/model", limiter ?? _unlimited, options ?? Options(), time ?? _time);

    public void Dispose() => _unlimited.Dispose();

    /// <summary>Only the total ceiling can fire: the first-token and idle limits are far beyond it.</summary>
    private static CallTimeouts TotalOnly(TimeSpan total) => new(TimeSpan.FromDays(1), TimeSpan.FromDays(1), total);

    [Fact]
    public async Task A_429_with_code_3040_is_retried_until_it_succeeds()
    {
        var inner = new ScriptedChatClient(_time, ProviderErrors.WorkersAi429(3040), ProviderErrors.WorkersAi429(3040));

        var response = await Client(inner).GetResponseAsync("hi").WaitAsync(SafetyNet);

        Assert.Equal("{}", response.Text);
        Assert.Equal(3, inner.Attempts);
    }

    [Fact]
    public async Task A_429_with_code_3036_daily_quota_is_not_retried()
    {
        var inner = new ScriptedChatClient(_time, ProviderErrors.WorkersAi429(3036));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(inner).GetResponseAsync("hi").WaitAsync(SafetyNet));

        Assert.Equal(429, error.Status);
        Assert.Equal(1, inner.Attempts);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task Server_errors_are_retried_up_to_the_limit(int status)
    {
        var inner = new ScriptedChatClient(_time, (_, _) => Task.FromException<ChatResponse>(ProviderErrors.Http(status)));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(inner, Options(maxRetries: 3)).GetResponseAsync("hi").WaitAsync(SafetyNet));

        Assert.Equal(status, error.Status);
        Assert.Equal(4, inner.Attempts);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Client_errors_are_not_retried(int status)
    {
        var inner = new ScriptedChatClient(_time, ProviderErrors.Http(status));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(inner).GetResponseAsync("hi").WaitAsync(SafetyNet));

        Assert.Equal(status, error.Status);
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public async Task No_retries_are_made_when_they_are_configured_off()
    {
        var inner = new ScriptedChatClient(_time, ProviderErrors.Http(503));

        await Assert.ThrowsAsync<ClientResultException>(() => Client(inner, Options(maxRetries: 0)).GetResponseAsync("hi").WaitAsync(SafetyNet));

        Assert.Equal(1, inner.Attempts);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("0.5", 0.5)]
    [InlineData("120", 30)] // capped by MaxRetryAfter
    public async Task The_next_attempt_waits_exactly_the_Retry_After_the_provider_asked_for(string header, double expectedSeconds)
    {
        var time = new RecordingTimeProvider();
        var inner = new ScriptedChatClient(time, ProviderErrors.WorkersAi429(3040, retryAfter: header));
        // A back-off of an hour would be unmistakable if Retry-After were ignored.
        var options = new ModelResilienceOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromHours(1), MaxRetryAfter = TimeSpan.FromSeconds(30) };
        var expected = TimeSpan.FromSeconds(expectedSeconds);

        using (ModelCallContext.Begin(new ModelCallContext { Timeouts = TotalOnly(TimeSpan.FromMinutes(10)) }))
        {
            var call = Client(inner, options, time: time).GetResponseAsync("hi");

            Assert.Equal(expected, await time.NextDelayAsync());
            Assert.False(call.IsCompleted);
            time.Advance(expected);
            await call.WaitAsync(SafetyNet);
        }

        Assert.Equal(2, inner.Attempts);
        Assert.Equal(expected, inner.Calls[1] - inner.Calls[0]);
    }

    [Fact]
    public async Task Each_attempt_times_out_after_the_total_limit_of_the_call()
    {
        var inner = new ScriptedChatClient(_time, static async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return ScriptedChatClient.Ok();
        });
        var context = new ModelCallContext { Timeouts = TotalOnly(TimeSpan.FromSeconds(5)) };

        Task<ChatResponse> call;
        using (ModelCallContext.Begin(context))
        {
            call = Client(inner, Options(maxRetries: 0)).GetResponseAsync("hi");
        }
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));

        var timeout = await Assert.ThrowsAsync<TimeoutRejectedException>(() => call.WaitAsync(SafetyNet));
        Assert.Equal(TimeSpan.FromSeconds(5), timeout.Timeout);
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_counted()
    {
        var inner = new ScriptedChatClient(_time, static async (attempt, cancellationToken) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            return ScriptedChatClient.Ok();
        });
        var context = new ModelCallContext { Timeouts = TotalOnly(TimeSpan.FromSeconds(20)) };

        Task<ChatResponse> call;
        using (ModelCallContext.Begin(context))
        {
            call = Client(inner).GetResponseAsync("hi");
        }
        _time.Advance(TimeSpan.FromSeconds(20));
        await call.WaitAsync(SafetyNet);

        Assert.Equal(2, inner.Attempts);
        Assert.Equal(1, context.Retries);
        Assert.Equal(["timeout after 20 s"], context.RetryReasons);
    }

    [Fact]
    public async Task Retries_are_counted_into_the_call_context_with_their_reasons()
    {
        var inner = new ScriptedChatClient(_time, ProviderErrors.Http(500), ProviderErrors.WorkersAi429(3040), ProviderErrors.Http(503));
        var context = new ModelCallContext { Timeouts = TotalOnly(TimeSpan.FromSeconds(45)) };

        using (ModelCallContext.Begin(context))
        {
            await Client(inner).GetResponseAsync("hi").WaitAsync(SafetyNet);
        }

        Assert.Equal(4, inner.Attempts);
        Assert.Equal(3, context.Retries);
        Assert.Equal(["HTTP 500", "HTTP 429: capacity temporarily exceeded (3040)", "HTTP 503"], context.RetryReasons);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_transient_failures_and_stops_calling_the_provider()
    {
        var inner = new ScriptedChatClient(_time, (_, _) => Task.FromException<ChatResponse>(ProviderErrors.Http(500)));
        var client = Client(inner, Options(maxRetries: 0, breakerMinimumThroughput: 4));

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi").WaitAsync(SafetyNet));
        }
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi").WaitAsync(SafetyNet));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi").WaitAsync(SafetyNet));

        Assert.Equal(4, inner.Attempts);
    }

    /// <summary>
    /// The January case in miniature: the model fails every request of stage 4 (its schema) and answers stage 1. With a
    /// model-wide breaker stage 4's failures opened the circuit for stage 1 too, where the model is stable without a fallback.
    /// </summary>
    [Fact]
    public async Task Failures_on_one_stage_open_the_circuit_of_that_stage_only()
    {
        var inner = new ScriptedChatClient(_time, (_, _) => ModelCallContext.Current?.Stage == 4
            ? Task.FromException<ChatResponse>(ProviderErrors.Http(500))
            : Task.FromResult(ScriptedChatClient.Ok()));
        var client = Client(inner, Options(maxRetries: 0, breakerMinimumThroughput: 4));
        async Task<ChatResponse> Call(int stage)
        {
            using (ModelCallContext.Begin(new ModelCallContext { Timeouts = TotalOnly(TimeSpan.FromMinutes(10)), Stage = stage }))
            {
                return await client.GetResponseAsync("hi").WaitAsync(SafetyNet);
            }
        }

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<ClientResultException>(() => Call(4));
        }
        await Assert.ThrowsAsync<BrokenCircuitException>(() => Call(4));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("{}", (await Call(1)).Text);
        }
        Assert.Equal(14, inner.Attempts);
    }

    [Fact]
    public async Task The_circuit_closes_again_after_the_break_when_the_provider_recovers()
    {
        var failing = true;
        var inner = new ScriptedChatClient(_time, (_, _) => failing ? Task.FromException<ChatResponse>(ProviderErrors.Http(503)) : Task.FromResult(ScriptedChatClient.Ok()));
        var client = Client(inner, Options(maxRetries: 0, breakerMinimumThroughput: 2));
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi").WaitAsync(SafetyNet));
        }
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi").WaitAsync(SafetyNet));

        failing = false;
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("{}", (await client.GetResponseAsync("hi").WaitAsync(SafetyNet)).Text);
    }

    [Fact]
    public async Task Client_errors_do_not_open_the_circuit()
    {
        var inner = new ScriptedChatClient(_time, (attempt, _) => attempt <= 6 ? Task.FromException<ChatResponse>(ProviderErrors.Http(400)) : Task.FromResult(ScriptedChatClient.Ok()));
        var client = Client(inner, Options(maxRetries: 0, breakerMinimumThroughput: 2));

        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi").WaitAsync(SafetyNet));
        }

        Assert.Equal("{}", (await client.GetResponseAsync("hi").WaitAsync(SafetyNet)).Text);
    }

    [Fact]
    public async Task A_circuit_open_rejection_is_not_retried()
    {
        var inner = new ScriptedChatClient(_time, (_, _) => Task.FromException<ChatResponse>(ProviderErrors.Http(500)));
        var client = Client(inner, Options(maxRetries: 3, breakerMinimumThroughput: 2));
        var context = new ModelCallContext { Timeouts = TotalOnly(TimeSpan.FromSeconds(45)) };

        using (ModelCallContext.Begin(context))
        {
            // Attempts 1 and 2 fail and open the circuit; the third is rejected by the breaker and not retried.
            await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi").WaitAsync(SafetyNet));
        }

        Assert.Equal(2, inner.Attempts);
        Assert.Equal(2, context.Retries);
    }

    [Fact]
    public async Task Calls_beyond_the_permit_limit_queue_until_the_window_moves_on()
    {
        using var limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = 2,
            // Manual replenishment only; the window is tiny so that a manual replenishment is never refused as too early.
            Window = TimeSpan.FromTicks(1),
            SegmentsPerWindow = 1,
            QueueLimit = 10,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = false,
        });
        var inner = new ScriptedChatClient(_time);
        var client = Client(inner, Options(maxRetries: 0), limiter);

        await client.GetResponseAsync("1").WaitAsync(SafetyNet);
        await client.GetResponseAsync("2").WaitAsync(SafetyNet);
        var third = client.GetResponseAsync("3");
        var fourth = client.GetResponseAsync("4");

        Assert.False(third.IsCompleted);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(2, limiter.GetStatistics()!.CurrentQueuedCount);
        Assert.Equal(2, inner.Attempts);

        Assert.True(limiter.TryReplenish());
        await Task.WhenAll(third, fourth).WaitAsync(SafetyNet);

        Assert.Equal(4, inner.Attempts);
    }

    [Fact]
    public async Task A_call_beyond_the_queue_is_rejected_and_not_retried()
    {
        using var limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = 1,
            // Manual replenishment only; the window is tiny so that a manual replenishment is never refused as too early.
            Window = TimeSpan.FromTicks(1),
            SegmentsPerWindow = 1,
            QueueLimit = 1,
            AutoReplenishment = false,
        });
        var inner = new ScriptedChatClient(_time);
        var client = Client(inner, Options(maxRetries: 3), limiter);

        await client.GetResponseAsync("1").WaitAsync(SafetyNet);
        var queued = client.GetResponseAsync("2");
        await Assert.ThrowsAsync<RateLimiterRejectedException>(() => client.GetResponseAsync("3").WaitAsync(SafetyNet));

        Assert.Equal(1, inner.Attempts);
        limiter.TryReplenish();
        await queued.WaitAsync(SafetyNet);
        Assert.Equal(2, inner.Attempts);
    }
}
