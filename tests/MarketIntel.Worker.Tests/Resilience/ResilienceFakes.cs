using System.ClientModel;
using System.ClientModel.Primitives;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MarketIntel.Worker.Tests.Resilience;

/// <summary>A provider HTTP response as the OpenAI client hands it to <see cref="ClientResultException"/>.</summary>
internal sealed class FakePipelineResponse(int status, string body = "", IReadOnlyDictionary<string, string>? headers = null) : PipelineResponse
{
    private Stream? _content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));

    public override int Status => status;

    public override string ReasonPhrase => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override PipelineResponseHeaders HeadersCore => new FakeHeaders(headers ?? new Dictionary<string, string>());

    public override Stream? ContentStream
    {
        get => _content;
        set => _content = value;
    }

    public override BinaryData Content => BinaryData.FromString(body);

    public override BinaryData BufferContent(CancellationToken cancellationToken = default) => Content;

    public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Content);

    public override void Dispose() => _content?.Dispose();

    private sealed class FakeHeaders(IReadOnlyDictionary<string, string> headers) : PipelineResponseHeaders
    {
        public override bool TryGetValue(string name, out string? value)
        {
            var match = headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
            value = match.Value;
            return match.Key is not null;
        }

        public override bool TryGetValues(string name, out IEnumerable<string>? values)
        {
            var found = TryGetValue(name, out var value);
            values = found ? [value!] : null;
            return found;
        }

        public override IEnumerator<KeyValuePair<string, string>> GetEnumerator() => headers.GetEnumerator();
    }
}

/// <summary>Provider failures in the shapes Workers AI produces them.</summary>
internal static class ProviderErrors
{
    public static ClientResultException Http(int status, string body = "", IReadOnlyDictionary<string, string>? headers = null) =>
        new($"HTTP {status}", new FakePipelineResponse(status, body, headers));

    /// <summary>429 with a Workers AI error code in the body (3040 capacity, 3036 daily quota).</summary>
    public static ClientResultException WorkersAi429(int code, string? retryAfter = null) =>
        Http(429, $$"""{"errors":[{"message":"AiError","code":{{code}}}],"success":false}""",
            retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });
}

/// <summary>
/// An inner <see cref="IChatClient"/> that answers each attempt from a script (attempt number → outcome) and records
/// when (on the test's clock) every attempt started.
/// </summary>
internal sealed class ScriptedChatClient(TimeProvider time, Func<int, CancellationToken, Task<ChatResponse>> script) : IChatClient
{
    private readonly List<DateTimeOffset> _calls = [];

    public ScriptedChatClient(TimeProvider time, params Exception?[] outcomes)
        : this(time, (attempt, _) => attempt <= outcomes.Length && outcomes[attempt - 1] is { } e
            ? Task.FromException<ChatResponse>(e)
            : Task.FromResult(Ok()))
    {
    }

    public int Attempts
    {
        get { lock (_calls) { return _calls.Count; } }
    }

    public IReadOnlyList<DateTimeOffset> Calls
    {
        get { lock (_calls) { return [.. _calls]; } }
    }

    public static ChatResponse Ok() => new(new ChatMessage(ChatRole.Assistant, "{}"));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int attempt;
        lock (_calls)
        {
            _calls.Add(time.GetUtcNow());
            attempt = _calls.Count;
        }
        return script(attempt, cancellationToken);
    }

    /// <summary>The scripted answer as one stream: ResilientChatClient only ever streams.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>A <see cref="FakeTimeProvider"/> that reports every finite delay a timer is created with (Task.Delay of a retry).</summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _delays = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        // A day is how far the tests put the limits they do not exercise (first token, idle): not a retry's wait.
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime < TimeSpan.FromDays(1))
        {
            _delays.Writer.TryWrite(dueTime);
        }
        return timer;
    }

    /// <summary>The next delay a timer was started with; fails the test (instead of hanging) if none comes.</summary>
    public async Task<TimeSpan> NextDelayAsync() =>
        await _delays.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
}
