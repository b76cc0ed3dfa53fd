using System.Text;
using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using Microsoft.Extensions.AI;

namespace MarketIntel.Worker.Stages;

/// <summary>Collects one call's streamed chunks into the whole answer and tells the stage's progress about them.</summary>
internal sealed class StreamedAnswer
{
    private readonly List<ChatResponseUpdate> _updates = [];
    private readonly StageProgressTracker _progress;
    private readonly string _part;
    private int _characters;

    public StreamedAnswer(StageProgressTracker progress, string part)
    {
        _progress = progress;
        _part = part;
        // A new attempt at this part starts its text again.
        progress.Restart(part);
    }

    /// <summary>Estimated from the text: the provider's usage arrives only with the last chunk.</summary>
    public long TokensOut => ContextBudget.EstimateTokens(_characters);

    public ValueTask AddAsync(ChatResponseUpdate update)
    {
        _updates.Add(update);
        var text = update.Text;
        _characters += text.Length;
        return _progress.AddAsync(_part, text);
    }

    public ChatResponse ToResponse() => _updates.ToChatResponse();
}

/// <summary>
/// How far a stage has got across its calls (one, or one per section running side by side), reported at most once per
/// <c>interval</c>, never one write per token (docs/real-speed.md). For a Markdown stage the report carries the text so
/// far, its parts in <c>order</c> after any part not named there (the summary, written last, opens the report).
/// </summary>
internal sealed class StageProgressTracker(
    StageRunRequest request, ModelSpec model, int budget, DateTimeOffset startedAt, TimeSpan interval, TimeProvider time, IReadOnlyList<string> order)
{
    private readonly Dictionary<string, StringBuilder> _parts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _lastReport = time.GetTimestamp();

    private bool IsMarkdown => request.Stage.OutputKind == StageOutputKind.Markdown;

    public void Restart(string part)
    {
        lock (_lock)
        {
            _parts[part] = new StringBuilder();
        }
    }

    public async ValueTask AddAsync(string part, string text)
    {
        if (request.OnStreaming is not { } report)
        {
            return;
        }
        StageProgress progress;
        string? draft = null;
        lock (_lock)
        {
            _parts[part].Append(text);
            if (time.GetElapsedTime(_lastReport) < interval)
            {
                return;
            }
            _lastReport = time.GetTimestamp();
            progress = new StageProgress
            {
                Stage = request.Stage.Number,
                Model = model.Id,
                TokensOut = ContextBudget.EstimateTokens(_parts.Values.Sum(p => p.Length)),
                MaxTokens = budget,
                TokensPerSecond = model.Throughput.TokensPerSecond,
                StartedAt = startedAt,
                UpdatedAt = time.GetUtcNow(),
            };
            if (IsMarkdown)
            {
                var keys = _parts.Keys.Where(k => !order.Contains(k)).Concat(order.Where(_parts.ContainsKey));
                draft = string.Join("\n\n", keys.Select(k => _parts[k].ToString()).Where(t => t.Length > 0));
            }
        }
        await report(progress, draft);
    }
}
