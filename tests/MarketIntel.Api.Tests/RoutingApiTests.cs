using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MarketIntel.Storage;
using static MarketIntel.Api.Tests.CreateJobTests;

namespace MarketIntel.Api.Tests;

/// <summary>The routing admin API against real Redis; every test starts from the seeded routing (version 1).</summary>
public class RoutingApiTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private const string Llama31 = "@cf/meta/llama-3.1-70b-instruct";
    private const string Fp8Fast = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";
    private const string Mistral = "@cf/mistralai/mistral-small-3.1-24b-instruct";

    private readonly HttpClient _anonymous = factory.CreateClient();
    private readonly HttpClient _admin = Admin(factory);

    /// <summary>Back to an unseeded routing; the next read seeds version 1 from configuration again.</summary>
    public Task InitializeAsync() =>
        factory.Redis.Connection!.GetDatabase().KeyDeleteAsync([RedisKeys.RoutingActive, RedisKeys.RoutingVersions, RedisKeys.RoutingHistory]);

    public Task DisposeAsync() => Task.CompletedTask;

    private static HttpClient Admin(ApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        return client;
    }

    [Theory]
    [InlineData("GET", "/api/routing")]
    [InlineData("GET", "/api/routing/history")]
    [InlineData("GET", "/api/routing/versions/1")]
    [InlineData("PUT", "/api/routing/stages/1")]
    [InlineData("POST", "/api/routing/rollback")]
    public async Task Admin_routes_answer_401_without_a_key_and_with_a_key_of_no_operator(string method, string path)
    {
        var missing = await _anonymous.SendAsync(Request(method, path, key: null));
        await AssertProblem(missing, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        foreach (var wrong in new[] { "wrong-key", ApiFactory.AdminKey + "x", ApiFactory.AdminKey[..^1], ApiFactory.Hash(ApiFactory.OperatorKey("alice")) })
        {
            var unknown = await _anonymous.SendAsync(Request(method, path, key: wrong));
            await AssertProblem(unknown, HttpStatusCode.Unauthorized);
            Assert.Contains("X-Api-Key", unknown.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_the_key_the_active_routing_is_the_seeded_version_1()
    {
        var routing = await GetRoutingAsync();

        Assert.Equal(1, routing["version"]!.GetValue<int>());
        var stages = routing["stages"]!.AsObject();
        Assert.Equal(13, stages.Count);
        Assert.Equal(Llama31, stages["1"]!["stable"]!.GetValue<string>());
        Assert.True(stages["4"]!["protected"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_model_catalogue_and_the_jobs_stay_public()
    {
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync("/api/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task A_change_is_a_new_version_that_reads_back_with_who_why_and_the_diff()
    {
        var response = await PutStageAsync(1, new { candidate = Fp8Fast, candidateShare = 10, reason = "Phase 1 canary" }, actor: "alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(2, result!["version"]!.GetValue<int>());
        Assert.Equal(Fp8Fast, result["route"]!["candidate"]!.GetValue<string>());

        var routing = await GetRoutingAsync();
        Assert.Equal(2, routing["version"]!.GetValue<int>());
        var stage1 = routing["stages"]!["1"]!;
        Assert.Equal(Llama31, stage1["stable"]!.GetValue<string>());
        Assert.Equal(Fp8Fast, stage1["candidate"]!.GetValue<string>());
        Assert.Equal(10, stage1["candidateShare"]!.GetValue<int>());
        Assert.Equal(2500, stage1["maxTokens"]!.GetValue<int>());

        var history = await GetHistoryAsync();
        Assert.Equal(new[] { 2, 1 }, history.Select(h => h!["version"]!.GetValue<int>()));
        var change = history[0]!;
        Assert.Equal("change", change["kind"]!.GetValue<string>());
        Assert.Equal("alice", change["actor"]!.GetValue<string>());
        Assert.Equal("Phase 1 canary", change["reason"]!.GetValue<string>());
        Assert.Equal(1, change["previousVersion"]!.GetValue<int>());
        Assert.False(change["approved"]!.GetValue<bool>());
        var diff = change["diff"]!.AsArray().Select(d => (d!["stage"]!.GetValue<int>(), d["field"]!.GetValue<string>(), d["after"]?.GetValue<string>())).ToList();
        Assert.Equal(new (int, string, string?)[] { (1, "candidate", Fp8Fast), (1, "candidate_share", "10") }, diff);
        Assert.Equal("seed", history[1]!["kind"]!.GetValue<string>());

        var version2 = await _admin.GetFromJsonAsync<JsonObject>("/api/routing/versions/2");
        Assert.Equal(Fp8Fast, version2!["stages"]!["1"]!["candidate"]!.GetValue<string>());
        var version1 = await _admin.GetFromJsonAsync<JsonObject>("/api/routing/versions/1");
        Assert.Null(version1!["stages"]!["1"]!["candidate"]);
    }

    [Fact]
    public async Task Removing_the_candidate_with_an_empty_string_also_removes_its_share()
    {
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(2, new { candidate = Fp8Fast, candidateShare = 50, reason = "canary" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(2, new { candidate = "", reason = "canary over" })).StatusCode);

        var stage2 = (await GetRoutingAsync())["stages"]!["2"]!;
        Assert.Null(stage2["candidate"]);
        Assert.Equal(0, stage2["candidateShare"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_timeout_override_is_set_and_cleared_back_to_the_derived_ceiling_with_0()
    {
        Assert.Null((await GetRoutingAsync())["stages"]!["2"]!["timeoutSeconds"]);

        (await PutStageAsync(2, new { timeoutSeconds = 300, reason = "slow provider week" })).EnsureSuccessStatusCode();
        Assert.Equal(300, (await GetRoutingAsync())["stages"]!["2"]!["timeoutSeconds"]!.GetValue<int>());

        (await PutStageAsync(2, new { timeoutSeconds = 0, reason = "derive it again" })).EnsureSuccessStatusCode();
        Assert.Null((await GetRoutingAsync())["stages"]!["2"]!["timeoutSeconds"]);
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_and_nothing_is_written()
    {
        var response = await PutStageAsync(1, new { candidateShare = 150, temperature = 3.5, maxTokens = 10, timeoutSeconds = -1, reason = "" });

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "candidateShare", "maxTokens", "reason", "temperature", "timeoutSeconds" }, errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, (await GetRoutingAsync())["version"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(14)]
    public async Task A_stage_outside_1_to_13_is_a_field_error(int stage) =>
        await AssertProblem(await PutStageAsync(stage, new { stable = Fp8Fast, reason = "r" }), HttpStatusCode.BadRequest, "stage");

    [Fact]
    public async Task The_reason_is_required_and_at_most_500_characters()
    {
        await AssertProblem(await PutStageAsync(1, new { stable = Fp8Fast }), HttpStatusCode.BadRequest, "reason");
        await AssertProblem(await PutStageAsync(1, new { stable = Fp8Fast, reason = "   " }), HttpStatusCode.BadRequest, "reason");
        await AssertProblem(await PutStageAsync(1, new { stable = Fp8Fast, reason = new string('x', 501) }), HttpStatusCode.BadRequest, "reason");
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(1, new { stable = Fp8Fast, reason = new string('x', 500), force = true, approved = true })).StatusCode);
    }

    [Fact]
    public async Task Models_outside_the_catalogue_are_rejected()
    {
        var errors = await AssertProblem(
            await PutStageAsync(1, new { stable = "@cf/meta/llama-3.3-70b-instruct", candidate = "gpt-9", shadow = "nope", reason = "try" }),
            HttpStatusCode.BadRequest);

        Assert.Equal(new[] { "candidate", "shadow", "stable" }, errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("not in the model catalogue", errors["stable"][0], StringComparison.Ordinal);
        Assert.Equal(1, (await GetRoutingAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cross_field_rules_are_checked_against_the_current_route()
    {
        await AssertProblem(await PutStageAsync(1, new { candidate = Llama31, candidateShare = 10, reason = "r" }), HttpStatusCode.BadRequest, "candidate");
        await AssertProblem(await PutStageAsync(1, new { candidateShare = 10, reason = "r" }), HttpStatusCode.BadRequest, "candidateShare");
        await AssertProblem(await PutStageAsync(1, new { shadow = Llama31, reason = "r" }), HttpStatusCode.BadRequest, "shadow");
        await AssertProblem(await PutStageAsync(1, new { maxTokens = 15000, reason = "r" }), HttpStatusCode.BadRequest, "maxTokens");
        await AssertProblem(await PutStageAsync(1, new { stable = Llama31, reason = "no-op" }), HttpStatusCode.BadRequest, "body");
        Assert.Equal(1, (await GetRoutingAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_fields_and_wrong_types_are_field_errors()
    {
        await AssertProblem(await PutStageAsync(1, new { stabel = Fp8Fast, reason = "typo" }), HttpStatusCode.BadRequest, "stabel");
        await AssertProblem(await PutStageAsync(1, new { candidateShare = "10", reason = "string" }), HttpStatusCode.BadRequest, "candidateShare");
    }

    [Fact]
    public async Task The_protected_stage_4_refuses_a_change_without_approval_and_accepts_it_with_approval_and_a_reason()
    {
        var refused = await PutStageAsync(4, new { candidate = Fp8Fast, candidateShare = 5, reason = "try the avatar stage" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("protected", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("approved", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await AssertProblem(await PutStageAsync(4, new { candidate = Fp8Fast, candidateShare = 5, reason = "", approved = true }),
            HttpStatusCode.BadRequest, "reason");
        await AssertProblem(await PutStageAsync(4, new { @protected = false, reason = "unprotect" }), HttpStatusCode.Conflict);
        Assert.Equal(1, (await GetRoutingAsync())["version"]!.GetValue<int>());

        var accepted = await PutStageAsync(4, new { candidate = Fp8Fast, candidateShare = 5, reason = "Approved by the product owner after evaluation", approved = true }, actor: "carol");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var stage4 = (await GetRoutingAsync())["stages"]!["4"]!;
        Assert.Equal(Fp8Fast, stage4["candidate"]!.GetValue<string>());
        Assert.True(stage4["protected"]!.GetValue<bool>());
        var entry = (await GetHistoryAsync())[0]!;
        Assert.True(entry["approved"]!.GetValue<bool>());
        Assert.Equal("carol", entry["actor"]!.GetValue<string>());
        Assert.Equal("Approved by the product owner after evaluation", entry["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Protecting_an_unprotected_stage_also_needs_approval()
    {
        await AssertProblem(await PutStageAsync(3, new { @protected = true, reason = "freeze" }), HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(3, new { @protected = true, reason = "freeze", approved = true })).StatusCode);
    }

    [Fact]
    public async Task A_rollback_restores_the_earlier_content_as_a_new_version_and_the_history_shows_both()
    {
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(2, new { stable = Fp8Fast, reason = "Phase 1", force = true, approved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(6, new { stable = Mistral, maxTokens = 12000, reason = "Phase 4", force = true, approved = true })).StatusCode);

        var response = await _anonymous.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 1, reason = "Stage 2 error rate" }, actor: "dave"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var routing = await GetRoutingAsync();
        Assert.Equal(4, routing["version"]!.GetValue<int>());
        var seeded = (await _admin.GetFromJsonAsync<JsonObject>("/api/routing/versions/1"))!;
        Assert.True(JsonNode.DeepEquals(seeded["stages"], routing["stages"]));

        var history = await GetHistoryAsync();
        Assert.Equal(new[] { 4, 3, 2, 1 }, history.Select(h => h!["version"]!.GetValue<int>()));
        var rollback = history[0]!;
        Assert.Equal("rollback", rollback["kind"]!.GetValue<string>());
        Assert.Equal("dave", rollback["actor"]!.GetValue<string>());
        Assert.Equal(3, rollback["previousVersion"]!.GetValue<int>());
        var undone = rollback["diff"]!.AsArray().Select(d => $"{d!["stage"]}:{d["field"]}:{d["before"]}->{d["after"]}").ToList();
        Assert.Contains($"2:stable:{Fp8Fast}->{Llama31}", undone);
        Assert.Contains($"6:stable:{Mistral}->{Llama31}", undone);
        var change = history[2]!;
        Assert.Equal("forced-change", change["kind"]!.GetValue<string>());
        var only = Assert.Single(change["diff"]!.AsArray())!;
        Assert.Equal($"2:stable:{Llama31}->{Fp8Fast}", $"{only["stage"]}:{only["field"]}:{only["before"]}->{only["after"]}");
    }

    /// <summary>
    /// Issue 16's January replay: "Llama 3.3 on every stage" was one PUT per stage, each accepted at once. A direct change
    /// of the stable model is refused on every stage now; it goes through a rollout, or is forced on purpose.
    /// </summary>
    [Fact]
    public async Task A_direct_switch_of_the_stable_model_is_refused_on_every_stage()
    {
        const string llama33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
        for (var stage = 1; stage <= 13; stage++)
        {
            var response = await PutStageAsync(stage, new { stable = llama33, reason = "January: Llama 3.3 everywhere", approved = true });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("changes through a rollout", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var routing = await GetRoutingAsync();
        Assert.Equal(1, routing["version"]!.GetValue<int>());
        Assert.DoesNotContain(routing["stages"]!.AsObject(), s => s.Value!["stable"]!.GetValue<string>() == llama33);
    }

    [Fact]
    public async Task A_forced_switch_needs_force_approval_and_a_reason_and_is_recorded_as_forced()
    {
        Assert.Equal(HttpStatusCode.Conflict, (await PutStageAsync(2, new { stable = Fp8Fast, reason = "Hotfix", force = true })).StatusCode);
        await AssertProblem(await PutStageAsync(2, new { temperature = 0.3, reason = "Cooler", force = true, approved = true }), HttpStatusCode.BadRequest, "force");

        var forced = await PutStageAsync(2, new { stable = Fp8Fast, reason = "Llama 3.1 retired by the provider tonight", force = true, approved = true }, actor: "alice");

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var entry = (await GetHistoryAsync())[0]!;
        Assert.Equal(("forced-change", "alice", true), (entry["kind"]!.GetValue<string>(), entry["actor"]!.GetValue<string>(), entry["approved"]!.GetValue<bool>()));
        Assert.Equal("Llama 3.1 retired by the provider tonight", entry["reason"]!.GetValue<string>());
        Assert.Equal(Fp8Fast, (await GetRoutingAsync())["stages"]!["2"]!["stable"]!.GetValue<string>());
    }

    /// <summary>Issue 16: a rollback moved a protected stage's model without approval, and was recorded as approved.</summary>
    [Fact]
    public async Task A_rollback_that_changes_protected_stage_4_needs_approval_and_a_reason()
    {
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(4, new { stable = Fp8Fast, reason = "Isolated test passed", approved = true, force = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(2, new { stable = Fp8Fast, reason = "Phase 1", force = true, approved = true })).StatusCode);

        var refused = await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 1, reason = "Stage 2 error rate" }));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Stage 4 (Avatar Creation) is protected", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProblem(await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 1, reason = " ", approved = true })), HttpStatusCode.BadRequest, "reason");
        Assert.Equal(3, (await GetRoutingAsync())["version"]!.GetValue<int>());

        // Back to version 2 leaves stage 4 alone: no approval needed, and none recorded.
        var unprotected = await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 2, reason = "Stage 2 error rate" }));
        Assert.Equal(HttpStatusCode.OK, unprotected.StatusCode);
        Assert.False((await GetHistoryAsync())[0]!["approved"]!.GetValue<bool>());

        var approved = await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 1, reason = "Avatar quality dropped", approved = true }));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(Llama31, (await GetRoutingAsync())["stages"]!["4"]!["stable"]!.GetValue<string>());
        var entry = (await GetHistoryAsync())[0]!;
        Assert.Equal(("rollback", true), (entry["kind"]!.GetValue<string>(), entry["approved"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_rollback_to_an_unknown_version_is_a_404_and_a_bad_body_a_400()
    {
        await AssertProblem(await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 99, reason = "r" })), HttpStatusCode.NotFound);
        await AssertProblem(await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { reason = "r" })), HttpStatusCode.BadRequest, "version");
        await AssertProblem(await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 1 })), HttpStatusCode.BadRequest, "reason");
        await AssertProblem(await _admin.SendAsync(Json(HttpMethod.Post, "/api/routing/rollback", new { version = 1, reason = "r" })), HttpStatusCode.Conflict);
        await AssertProblem(await _admin.GetAsync("/api/routing/versions/99"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_history_limit_returns_the_newest_entries()
    {
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(1, new { temperature = 0.2, reason = "a" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(1, new { temperature = 0.3, reason = "b" })).StatusCode);

        var history = await _admin.GetFromJsonAsync<JsonArray>("/api/routing/history?limit=2");

        Assert.Equal(new[] { 3, 2 }, history!.Select(h => h!["version"]!.GetValue<int>()));
    }

    /// <summary>Issue 16: the history's actor was whatever the caller wrote in X-Actor; it is the key's owner now.</summary>
    [Fact]
    public async Task The_actor_is_the_operator_whose_key_was_sent_and_X_Actor_is_ignored()
    {
        var request = Json(HttpMethod.Put, "/api/routing/stages/5", new { temperature = 0.5, reason = "actor" }, actor: "carol");
        request.Headers.Add("X-Actor", "mallory");
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.SendAsync(request)).StatusCode);
        Assert.Equal("carol", (await GetHistoryAsync())[0]!["actor"]!.GetValue<string>());

        // The single key of earlier versions is the operator "admin".
        Assert.Equal(HttpStatusCode.OK, (await PutStageAsync(5, new { temperature = 0.6, reason = "actor" })).StatusCode);
        Assert.Equal("admin", (await GetHistoryAsync())[0]!["actor"]!.GetValue<string>());
    }

    private async Task<JsonObject> GetRoutingAsync() => (await _admin.GetFromJsonAsync<JsonObject>("/api/routing"))!;

    private async Task<JsonArray> GetHistoryAsync() => (await _admin.GetFromJsonAsync<JsonArray>("/api/routing/history"))!;

    private Task<HttpResponseMessage> PutStageAsync(int stage, object body, string? actor = null) =>
        (actor is null ? _admin : _anonymous).SendAsync(Json(HttpMethod.Put, $"/api/routing/stages/{stage}", body, actor));

    /// <summary>A request as operator <paramref name="actor"/> (with that operator's key: send it without the admin client's key).</summary>
    private static HttpRequestMessage Json(HttpMethod method, string path, object body, string? actor = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (actor is not null)
        {
            request.Headers.Add("X-Api-Key", ApiFactory.OperatorKey(actor));
        }
        return request;
    }

    private static HttpRequestMessage Request(string method, string path, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST")
        {
            request.Content = new StringContent("{\"reason\":\"r\"}", Encoding.UTF8, "application/json");
        }
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return request;
    }
}
