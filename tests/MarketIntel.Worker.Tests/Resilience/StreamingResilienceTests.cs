using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using MarketIntel.Pipeline.Models;
using MarketIntel.Worker.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MarketIntel.Worker.Tests.Resilience;

/// <summary>
/// Streamed calls through <see cref="ResilientChatClient"/> on a fake clock: chunks reach the caller as they arrive; a
/// stream with no first token in time is retried; a stream that stalls or breaks after its first chunk ends the call
/// with its reason and is not retried inside the client; a caller that stops reading ends the provider's stream.
/// </summary>
public sealed class StreamingResilienceTests : IDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);
    private static readonly CallTimeouts Limits = new(FirstToken: TimeSpan.FromSeconds(10), Idle: TimeSpan.FromSeconds(5), Total: TimeSpan.FromMinutes(10));

    private readonly FakeTimeProvider _time = new();
    private readonly RateLimiter _unlimited = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1000, QueueLimit = 0 });

    public void Dispose() => _unlimited.Dispose();

    private ResilientChatClient Client(IChatClient inner, int maxRetries = 3) => new(inner, "@cf/test/model", _unlimited, new ModelResilienceOptions
    {
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.Zero,
        BreakerMinimumThroughput = 100,
    }, _time);

    [Fact]
    public async Task Chunks_reach_the_caller_while_the_stream_is_still_open()
    {
        var gate = new TaskCompletionSource();
        var inner = new StreamingScript(async (attempt, write, cancellationToken) =>
        {
            await write("first ");
            await gate.Task.WaitAsync(cancellationToken);
            await write("second");
        });

        await using var updates = Stream(Client(inner)).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(SafetyNet));
        Assert.Equal("first ", updates.Current.Text);

        gate.SetResult();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(SafetyNet));
        Assert.Equal("second", updates.Current.Text);
        Assert.False(await updates.MoveNextAsync().AsTask().WaitAsync(SafetyNet));
    }

    [Fact]
    public async Task No_first_token_in_time_is_a_failed_attempt_that_is_retried()
    {
        var inner = new StreamingScript(async (attempt, write, cancellationToken) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            await write("{}");
        });
        var context = new ModelCallContext { Timeouts = Limits };

        Task<ChatResponse> call;
        using (ModelCallContext.Begin(context))
        {
            call = Client(inner).GetResponseAsync("hi");
        }
        await inner.WaitForAttemptsAsync(1);
        _time.Advance(Limits.FirstToken);

        Assert.Equal("{}", (await call.WaitAsync(SafetyNet)).Text);
        Assert.Equal(2, inner.Attempts);
        Assert.Equal(["no first token within 10 s"], context.RetryReasons);
    }

    [Fact]
    public async Task A_stream_that_stalls_after_its_first_chunk_fails_with_the_idle_limit_and_is_not_retried_here()
    {
        var inner = new StreamingScript(async (_, write, cancellationToken) =>
        {
            await write("{\"partial\": ");
            await write("\"answer");
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        });
        var context = new ModelCallContext { Timeouts = Limits };
        var received = new List<string>();

        Task call;
        using (ModelCallContext.Begin(context))
        {
            call = Task.Run(async () =>
            {
                await foreach (var update in Client(inner).GetStreamingResponseAsync("hi"))
                {
                    lock (received)
                    {
                        received.Add(update.Text);
                    }
                }
            });
        }
        // The idle limit restarts when a chunk reaches the caller; only then may the clock move.
        while (true)
        {
            lock (received)
            {
                if (received.Count == 2)
                {
                    break;
                }
            }
            await Task.Delay(10);
        }
        _time.Advance(Limits.Idle);

        var error = await Assert.ThrowsAsync<ModelStreamException>(() => call.WaitAsync(SafetyNet));
        Assert.True(error.Started);
        Assert.Equal("stream stalled: no chunk for 5 s after 2 chunks", error.Message);
        Assert.Equal("stream stalled: no chunk for 5 s after 2 chunks", ModelCallErrors.Describe(error));
        Assert.Equal(1, inner.Attempts);
        Assert.Empty(context.RetryReasons);
        Assert.Equal(["{\"partial\": ", "\"answer"], received);
    }

    [Fact]
    public async Task A_connection_that_breaks_part_way_is_reported_as_a_broken_stream()
    {
        var inner = new StreamingScript(async (_, write, _) =>
        {
            await write("{\"partial\": ");
            throw new IOException("The response ended prematurely.");
        });

        var error = await Assert.ThrowsAsync<ModelStreamException>(() => Client(inner).GetResponseAsync("hi").WaitAsync(SafetyNet));

        Assert.True(error.Started);
        Assert.Equal("stream broke after 1 chunks (connection broken)", error.Message);
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public async Task A_caller_that_stops_reading_cancels_the_providers_stream()
    {
        var inner = new StreamingScript(async (_, write, cancellationToken) =>
        {
            await write("one");
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        });
        using var cancel = new CancellationTokenSource();

        var call = Task.Run(async () =>
        {
            await foreach (var _ in Client(inner).GetStreamingResponseAsync("hi", cancellationToken: cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(SafetyNet));
        Assert.True(await inner.Cancelled.Task.WaitAsync(SafetyNet));
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Stream(IChatClient client, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cancellationToken))
        {
            yield return update;
        }
    }

    /// <summary>An inner client whose stream is written by a script per attempt; it notes chunks, attempts and cancellation.</summary>
    private sealed class StreamingScript(Func<int, Func<string, Task>, CancellationToken, Task> script) : IChatClient
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WaitForAttemptsAsync(int count)
        {
            while (Attempts < count)
            {
                await Task.Delay(10);
            }
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("ResilientChatClient streams every call.");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            var chunks = System.Threading.Channels.Channel.CreateUnbounded<string>();
            using var registration = cancellationToken.Register(() => Cancelled.TrySetResult(true));
            var writer = script(attempt, async text =>
            {
                await chunks.Writer.WriteAsync(text, cancellationToken);
            }, cancellationToken).ContinueWith(t => chunks.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
            await foreach (var text in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, text);
            }
            await writer;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
