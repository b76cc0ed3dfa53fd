using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>Each test gets its own emulator: the admin endpoints change shared state.</summary>
public sealed class AdminApiTests : IDisposable
{
    private const string Model = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";
    private readonly EmulatorFactory _factory = new();
    private readonly HttpClient _client;

    public AdminApiTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    private static string Prompt => $"## The business\n{Requests.BusinessProfile}";

    [Fact]
    public async Task Profiles_list_the_configured_models_with_the_facts()
    {
        var profiles = (await _client.GetFromJsonAsync<JsonObject>("/admin/profiles"))!;
        Assert.Equal(800, profiles["@cf/meta/llama-3.1-70b-instruct"]!["timeToFirstTokenMs"]!.GetValue<int>());
        Assert.Equal(40, profiles["@cf/meta/llama-3.1-70b-instruct"]!["tokensPerSecond"]!.GetValue<double>());
        Assert.Equal(680, profiles[Model]!["timeToFirstTokenMs"]!.GetValue<int>());
        Assert.Equal(46, profiles[Model]!["tokensPerSecond"]!.GetValue<double>());
        Assert.Equal(35, profiles["@cf/meta/llama-3.3-70b-instruct-fp8-fast"]!["failSchemaFieldsAbove"]!.GetValue<int>());
        Assert.Equal(128000, profiles["@cf/mistralai/mistral-small-3.1-24b-instruct"]!["contextWindow"]!.GetValue<int>());
        Assert.Equal(24000, profiles["default"]!["contextWindow"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_profile_put_at_run_time_applies_until_the_profiles_are_reset()
    {
        using var put = await _client.PutAsJsonAsync($"/admin/profiles/{Model}", new { Http500Rate = 1.0 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var profiles = (await _client.GetFromJsonAsync<JsonObject>("/admin/profiles"))!;
        Assert.Equal(1.0, profiles[Model]!["http500Rate"]!.GetValue<double>());

        using var failing = await Requests.PostAsync(_client, Requests.Chat(Model, Prompt, Requests.SmallSchema()));
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);

        using var reset = await _client.DeleteAsync("/admin/profiles");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var working = await Requests.PostAsync(_client, Requests.Chat(Model, Prompt, Requests.SmallSchema()));
        Assert.Equal(HttpStatusCode.OK, working.StatusCode);
    }

    [Fact]
    public async Task An_invalid_profile_is_refused()
    {
        using var response = await _client.PutAsJsonAsync($"/admin/profiles/{Model}", new { TokensPerSecond = 0, Http429Rate = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var notJson = await _client.PutAsync($"/admin/profiles/{Model}", new StringContent("{oops", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task Stats_count_requests_per_model_and_outcome_and_can_be_reset()
    {
        using (await Requests.PostAsync(_client, Requests.Chat(Model, Prompt, Requests.SmallSchema()))) { }
        using (await Requests.PostAsync(_client, Requests.Chat(Model, Prompt, Requests.SmallSchema()), """{"Http429Rate":1}""")) { }
        using (await Requests.PostAsync(_client, Requests.Chat(Model, Prompt, Requests.SmallSchema()), """{"PlaceholderRate":1}""")) { }
        using (await Requests.PostAsync(_client, Requests.Chat("other", Prompt, Requests.SmallSchema()), """{"QuotaExhaustedRate":1}""")) { }
        using (await Requests.PostAsync(_client, Requests.Chat("other", Prompt, Requests.FlatSchema(5)), """{"FailSchemaFieldsAbove":4}""")) { }

        var stats = (await _client.GetFromJsonAsync<JsonObject>("/admin/stats"))!;
        Assert.Equal(5, stats["requests"]!.GetValue<int>());
        var model = stats["models"]![Model]!;
        Assert.Equal(3, model["requests"]!.GetValue<int>());
        Assert.Equal(1, model["outcomes"]!["ok"]!.GetValue<int>());
        Assert.Equal(1, model["outcomes"]!["http429"]!.GetValue<int>());
        Assert.Equal(1, model["outcomes"]!["placeholder"]!.GetValue<int>());
        Assert.Equal(1, stats["models"]!["other"]!["outcomes"]!["quota"]!.GetValue<int>());
        Assert.Equal(1, stats["models"]!["other"]!["outcomes"]!["schema500"]!.GetValue<int>());

        using var reset = await _client.DeleteAsync("/admin/stats");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(0, (await _client.GetFromJsonAsync<JsonObject>("/admin/stats"))!["requests"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_health_endpoints_of_the_service_defaults_are_mapped()
    {
        using var response = await _client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
