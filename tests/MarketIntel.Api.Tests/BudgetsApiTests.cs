using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Api.Http;
using MarketIntel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.Api.Tests;

/// <summary><c>GET /api/budgets</c>: admin only; today's spend per provider (as the worker records it), the limits, what remains.</summary>
public sealed class BudgetsApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_budgets_show_todays_spend_per_provider_against_the_limits()
    {
        // The worker records each attempt's cost through the same store.
        await factory.Services.GetRequiredService<SpendStore>().AddAsync(Guid.NewGuid().ToString("N"), "workers-ai", 1.25m);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(AdminKeyFilter.HeaderName, ApiFactory.AdminKey);

        var budgets = (await client.GetFromJsonAsync<JsonObject>("/api/budgets"))!;

        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), budgets["day"]!.GetValue<string>());
        Assert.Equal(1.00m, budgets["perJobCostUsd"]!.GetValue<decimal>());
        Assert.Equal(50.00m, budgets["dailyCostUsdPerProvider"]!.GetValue<decimal>());
        var provider = budgets["providers"]!.AsArray().Single(p => p!["provider"]!.GetValue<string>() == "workers-ai")!;
        Assert.Equal(1.25m, provider["spentTodayUsd"]!.GetValue<decimal>());
        Assert.Equal(48.75m, provider["remainingUsd"]!.GetValue<decimal>());
        Assert.False(provider["exhausted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_budgets_need_the_admin_key()
    {
        var response = await factory.CreateClient().GetAsync("/api/budgets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
