using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Storage;
using MarketIntel.Storage.Rollout;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.Api.Tests;

/// <summary>The rollout admin API against real Redis (phase logic itself: worker tests, Rollout/RolloutTests).</summary>
public class RolloutApiTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private const string Llama31 = "@cf/meta/llama-3.1-70b-instruct";
    private const string Fp8Fast = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";

    private readonly HttpClient _admin = Admin(factory);

    public Task InitializeAsync() =>
        factory.Redis.Connection!.GetDatabase().KeyDeleteAsync(
            [RedisKeys.RoutingActive, RedisKeys.RoutingVersions, RedisKeys.RoutingHistory, RedisKeys.RolloutPhases, RedisKeys.RolloutVerdicts]);

    public Task DisposeAsync() => Task.CompletedTask;

    private static HttpClient Admin(ApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.OperatorKey("alice"));
        return client;
    }

    [Theory]
    [InlineData("GET", "/api/phases")]
    [InlineData("POST", "/api/phases/1/apply")]
    [InlineData("POST", "/api/routing/emergency-rollback")]
    public async Task Rollout_routes_need_the_admin_key(string method, string path)
    {
        var anonymous = factory.CreateClient();
        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { reason = "x" }) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Phases_lists_the_plan_with_states_and_what_blocks_the_next_phase_in_words()
    {
        var body = await _admin.GetFromJsonAsync<JsonObject>("/api/phases");

        var phases = body!["phases"]!.AsArray();
        Assert.Equal([1, 2, 3, 4], phases.Select(p => p!["number"]!.GetValue<int>()));
        Assert.Equal("pending", phases[0]!["state"]!["status"]!.GetValue<string>());
        Assert.Equal(Fp8Fast, phases[0]!["targetModel"]!.GetValue<string>());
        Assert.Equal([1, 2, 3], phases[0]!["stages"]!.AsArray().Select(s => s!.GetValue<int>()));
        Assert.Equal(1, body["nextPhase"]!.GetValue<int>());
        Assert.Contains(body["nextBlockedBy"]!.AsArray(), b => b!.GetValue<string>().Contains("No evaluation of phase 1"));
        Assert.Contains(phases[1]!["blockers"]!.AsArray(), b => b!.GetValue<string>().Contains("Phase 1 (Research stages 1-3 to FP8 Fast) must be complete first"));
    }

    [Fact]
    public async Task Apply_answers_409_with_the_reasons_then_200_with_the_canary_state_once_the_evaluation_passed()
    {
        var refused = await _admin.PostAsJsonAsync("/api/phases/1/apply", new { reason = "Phase 1" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("No evaluation of phase 1", problem!["detail"]!.GetValue<string>());
        Assert.Single(problem["reasons"]!.AsArray());

        var invalid = await _admin.PostAsJsonAsync("/api/phases/1/apply", new { approved = true });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsJsonAsync("/api/phases/9/apply", new { reason = "x" })).StatusCode);

        await factory.Services.GetRequiredService<RedisEvaluationVerdicts>().RecordAsync(1, passed: true);
        var applied = await _admin.PostAsJsonAsync("/api/phases/1/apply", new { reason = "Phase 1 per the tracker" });
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var result = await applied.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("canary", result!["state"]!["status"]!.GetValue<string>());
        Assert.Equal("phase-apply", result["change"]!["kind"]!.GetValue<string>());
        Assert.Equal("alice", result["change"]!["actor"]!.GetValue<string>());

        var routing = await _admin.GetFromJsonAsync<JsonObject>("/api/routing");
        Assert.Equal(Fp8Fast, routing!["stages"]!["2"]!["candidate"]!.GetValue<string>());
        Assert.Equal(10, routing["stages"]!["2"]!["candidateShare"]!.GetValue<int>());

        var again = await _admin.PostAsJsonAsync("/api/phases/1/apply", new { reason = "again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Phase 1 is on canary already", (await again.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Emergency_rollback_removes_every_candidate_and_marks_the_phase_rolled_back()
    {
        await factory.Services.GetRequiredService<RedisEvaluationVerdicts>().RecordAsync(1, passed: true);
        (await _admin.PostAsJsonAsync("/api/phases/1/apply", new { reason = "Phase 1" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.PostAsJsonAsync("/api/routing/emergency-rollback", new { })).StatusCode);
        var response = await _admin.PostAsJsonAsync("/api/routing/emergency-rollback", new { reason = "Stage 2 errors after the deploy" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var change = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("emergency-rollback", change!["kind"]!.GetValue<string>());
        Assert.Equal("Stage 2 errors after the deploy", change["reason"]!.GetValue<string>());
        var routing = await _admin.GetFromJsonAsync<JsonObject>("/api/routing");
        Assert.All(routing!["stages"]!.AsObject(), s =>
        {
            Assert.Null(s.Value!["candidate"]);
            Assert.Equal(Llama31, s.Value["stable"]!.GetValue<string>());
        });
        var phases = await _admin.GetFromJsonAsync<JsonObject>("/api/phases");
        Assert.Equal("rolled_back", phases!["phases"]![0]!["state"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_emergency_rollback_that_changes_protected_stage_4_needs_approval()
    {
        var put = await _admin.PutAsJsonAsync("/api/routing/stages/4", new { candidate = Fp8Fast, candidateShare = 10, reason = "Avatar canary", approved = true });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var refused = await _admin.PostAsJsonAsync("/api/routing/emergency-rollback", new { reason = "Avatar errors" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Stage 4 (Avatar Creation) is protected", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Fp8Fast, (await _admin.GetFromJsonAsync<JsonObject>("/api/routing"))!["stages"]!["4"]!["candidate"]!.GetValue<string>());

        var response = await _admin.PostAsJsonAsync("/api/routing/emergency-rollback", new { reason = "Avatar errors", approved = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var change = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(change!["approved"]!.GetValue<bool>());
        Assert.Null((await _admin.GetFromJsonAsync<JsonObject>("/api/routing"))!["stages"]!["4"]!["candidate"]);
    }
}
