using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Renames the OpenAI SDK's <c>max_completion_tokens</c> to the field a provider honours (Workers AI: <c>max_tokens</c>;
/// without it Workers AI cuts answers at 256 tokens). Rewrites the request body once, before it is sent.
/// </summary>
internal sealed class MaxTokensDialectPolicy(string field) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Rewrite(PipelineMessage message)
    {
        if (message.Request.Content is not { } content)
        {
            return;
        }
        using var buffer = new MemoryStream();
        content.WriteTo(buffer);
        if (JsonNode.Parse(buffer.ToArray()) is not JsonObject body || !body.Remove("max_completion_tokens", out var budget))
        {
            return;
        }
        body[field] = budget;
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }
}
