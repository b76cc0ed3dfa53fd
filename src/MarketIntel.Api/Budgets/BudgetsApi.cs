using MarketIntel.Api.Http;
using MarketIntel.Pipeline.Models;
using MarketIntel.Storage;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Budgets;

/// <summary>Today's spend (UTC) of one provider against its daily budget.</summary>
public sealed record ProviderBudgetView(string Provider, decimal SpentTodayUsd, decimal DailyBudgetUsd, decimal RemainingUsd, bool Exhausted);

/// <summary><c>GET /api/budgets</c>: the limits and what each provider of the catalogue has been paid today.</summary>
public sealed record BudgetsView(string Day, decimal PerJobCostUsd, decimal DailyCostUsdPerProvider, IReadOnlyList<ProviderBudgetView> Providers);

public static class BudgetsApi
{
    public static IEndpointRouteBuilder MapBudgetsApi(this IEndpointRouteBuilder app)
    {
        var budgets = app.MapGroup("/api/budgets").WithTags("Budgets").RequireAdminKey();
        budgets.MapGet("/", GetBudgetsAsync)
            .WithName("GetBudgets")
            .WithSummary("Cost limits and today's (UTC) spend per provider")
            .WithDescription("Budgets:PerJobCostUsd caps one job, Budgets:DailyCostUsdPerProvider caps each provider per UTC day; "
                + "the worker refuses a model call once either is reached.");
        return app;
    }

    private static async Task<IResult> GetBudgetsAsync(SpendStore spend, IOptionsMonitor<BudgetOptions> budgets, IOptions<ModelCatalogOptions> catalog)
    {
        var limits = budgets.CurrentValue;
        var providers = new List<ProviderBudgetView>();
        foreach (var provider in catalog.Value.Catalog.Select(m => m.Provider).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var spent = await spend.ProviderSpendTodayAsync(provider);
            providers.Add(new ProviderBudgetView(provider, spent, limits.DailyCostUsdPerProvider,
                Math.Max(0, limits.DailyCostUsdPerProvider - spent), spent >= limits.DailyCostUsdPerProvider));
        }
        return TypedResults.Ok(new BudgetsView(spend.Today, limits.PerJobCostUsd, limits.DailyCostUsdPerProvider, providers));
    }
}
