using System.Text;
using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using Microsoft.Extensions.AI;

namespace MarketIntel.Worker.Stages;

/// <summary>
/// Collects one call's streamed chunks into the whole answer and reports how far it has got, at most once per
/// <c>interval</c> (tokens are estimated from the text until the provider's final usage chunk says otherwise).
/// </summary>
internal sealed class StreamedAnswer(StageRunRequest request, ModelSpec model, int maxTokens, DateTimeOffset startedAt, TimeSpan interval, TimeProvider time)
{
    private readonly List<ChatResponseUpdate> _updates = [];
    private readonly StringBuilder _text = new();
    private long _lastReport = time.GetTimestamp();

    public long TokensOut => ContextBudget.EstimateTokens(_text.Length);

    public async ValueTask AddAsync(ChatResponseUpdate update)
    {
        _updates.Add(update);
        _text.Append(update.Text);
        if (request.OnStreaming is not { } report || time.GetElapsedTime(_lastReport) < interval)
        {
            return;
        }
        _lastReport = time.GetTimestamp();
        var progress = new StageProgress
        {
            Stage = request.Stage.Number,
            Model = model.Id,
            TokensOut = TokensOut,
            MaxTokens = maxTokens,
            TokensPerSecond = model.Throughput.TokensPerSecond,
            StartedAt = startedAt,
            UpdatedAt = time.GetUtcNow(),
        };
        await report(progress, request.Stage.OutputKind == StageOutputKind.Markdown ? _text.ToString() : null);
    }

    public ChatResponse ToResponse() => _updates.ToChatResponse();
}
