using System.Runtime.CompilerServices;
using MarketIntel.Pipeline.Models;
using MarketIntel.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Spending, as middleware of one model's <see cref="IChatClient"/> pipeline (docs/real-speed.md, README "Budgets"):
/// refuses a call once the job has reached its cost ceiling or the provider its daily budget, and charges every call
/// what it produced, a stream that broke off part-way included. The job comes from the ambient
/// <see cref="ModelCallContext"/>; a call without one (no job) is neither checked nor charged, and needs no store.
/// </summary>
public sealed class BudgetChatClient(IChatClient inner, ModelSpec model, IServiceProvider services) : DelegatingChatClient(inner)
{
    private SpendStore Spend => services.GetRequiredService<SpendStore>();

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = ModelCallContext.Current;
        if (context?.JobId is not { } jobId)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                yield return update;
            }
            yield break;
        }

        if (await RefusalAsync(jobId) is { } refusal)
        {
            throw new BudgetExceededException(refusal);
        }
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var characters = 0;
        UsageDetails? usage = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
            {
                characters += update.Text.Length;
                usage = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details ?? usage;
                yield return update;
            }
        }
        finally
        {
            // Whatever was generated is paid for; nothing generated, nothing charged.
            context.TokensOut = usage?.OutputTokenCount ?? ContextBudget.EstimateTokens(characters);
            context.TokensIn = context.TokensOut == 0 ? 0 : usage?.InputTokenCount ?? ContextBudget.EstimateTokens(list.Sum(m => m.Text.Length));
            context.Cost = model.Cost(context.TokensIn, context.TokensOut);
            if (context.Cost > 0)
            {
                await Spend.AddAsync(jobId, model.Provider, context.Cost);
            }
        }
    }

    /// <summary>
    /// Why the call must not be made; null when it may. Checked before every call, so at most the calls already in
    /// flight (concurrent stages and sections) can overshoot.
    /// </summary>
    private async Task<string?> RefusalAsync(string jobId)
    {
        var limits = services.GetRequiredService<IOptionsMonitor<BudgetOptions>>().CurrentValue;
        var (jobSpend, providerSpend) = await Spend.SpendAsync(jobId, model.Provider);
        if (jobSpend >= limits.PerJobCostUsd)
        {
            return $"cost ceiling of {SpendStore.Dollars(limits.PerJobCostUsd)} for this job reached ({SpendStore.Dollars(jobSpend)} spent)";
        }
        if (providerSpend >= limits.DailyCostUsdPerProvider)
        {
            return $"daily budget of {SpendStore.Dollars(limits.DailyCostUsdPerProvider)} for provider {model.Provider} reached "
                + $"({SpendStore.Dollars(providerSpend)} spent today, UTC)";
        }
        return null;
    }
}

/// <summary>A call refused because a budget is spent; the message says which and how much.</summary>
public sealed class BudgetExceededException(string reason) : Exception(reason);
