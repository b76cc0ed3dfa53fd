using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using StackExchange.Redis;
using static MarketIntel.Api.Tests.CreateJobTests;

namespace MarketIntel.Api.Tests;

public class StageEditTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private JobSeeding Seeding => new(factory, _client);

    [Fact]
    public void The_generated_outputs_pass_their_stage_validators()
    {
        // Guards the seeding itself: every edit test below starts from outputs the validators accept.
        var outputs = new Dictionary<int, string>();
        for (var stage = 1; stage <= 5; stage++)
        {
            outputs[stage] = StageOutputs.Valid(stage).ToJsonString();
        }
        var profile = Samples.Load()["profile"].Deserialize<Pipeline.Profiles.BusinessProfile>(Pipeline.PipelineJson.Options)!;
        for (var stage = 1; stage <= 5; stage++)
        {
            var result = StageCatalog.Get(stage).Validate(outputs[stage], new StageInput(profile, null, outputs));
            Assert.True(result.IsValid, $"stage {stage}: {string.Join("; ", result.Errors)}");
        }
    }

    [Fact]
    public async Task A_valid_edit_is_a_new_version_keeps_the_original_and_marks_downstream_stages_stale()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();
        var edited = StageOutputs.Valid(2);
        edited["price_justification"] = "Director promotions raise pay by $40,000 a year; the programme pays for itself in months.";

        var response = await _client.PutAsJsonAsync($"/api/jobs/{id}/stages/2", edited);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, view["version"]!.GetValue<int>());
        Assert.Equal(2, view["versions"]!.GetValue<int>());
        Assert.Equal("user", view["source"]!.GetValue<string>());
        Assert.StartsWith("Director promotions", view["content"]!["price_justification"]!.GetValue<string>());

        var latest = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/stages/2");
        Assert.Equal(2, latest!["version"]!.GetValue<int>());
        var original = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/stages/2?version=original");
        Assert.Equal(("model", 1), (original!["source"]!.GetValue<string>(), original["version"]!.GetValue<int>()));
        var first = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/stages/2?version=1");
        Assert.Equal(original["content"]!.ToJsonString(), first!["content"]!.ToJsonString());
        var second = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/stages/2?version=2");
        Assert.Equal("user", second!["source"]!.GetValue<string>());

        var versions = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/stages/2/versions");
        var list = versions!["versions"]!.AsArray();
        Assert.Equal([1, 2], list.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal(["model", "user"], list.Select(v => v!["source"]!.GetValue<string>()));
        Assert.All(list, v => Assert.NotNull(v!["createdAt"]));
        Assert.All(list, v => Assert.NotNull(v!["qualityScore"]));

        var job = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}");
        var stale = job!["stages"]!.AsArray().ToDictionary(s => s!["stage"]!.GetValue<int>(), s => s!["stale"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<int, bool> { [1] = false, [2] = false, [3] = true, [4] = true, [5] = true, [6] = true }, stale);
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());

        var events = await factory.Redis.Connection!.GetDatabase().StreamRangeAsync(RedisKeys.JobEvents(id));
        Assert.Contains(events, e => e["event"].ToString().Contains("\"status\":\"Edited\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_edit_is_a_400_problem_naming_the_fields_and_stores_nothing()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();
        var edited = StageOutputs.Valid(2);
        edited.Remove("price_justification");
        edited["buyer_language"]![0]!["emotional_tone"] = "smug";

        var response = await _client.PutAsJsonAsync($"/api/jobs/{id}/stages/2", edited);

        var errors = await AssertProblem(response, HttpStatusCode.BadRequest, "price_justification");
        Assert.True(errors.ContainsKey("buyer_language[0].emotional_tone"), string.Join(", ", errors.Keys));
        var versions = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/stages/2/versions");
        Assert.Single(versions!["versions"]!.AsArray());
        var job = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}");
        Assert.All(job!["stages"]!.AsArray(), s => Assert.False(s!["stale"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{")]
    [InlineData("\"text\"")]
    public async Task A_body_that_is_not_a_json_object_is_a_400_problem(string body)
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        var response = await _client.PutAsync($"/api/jobs/{id}/stages/1", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Editing_the_report_or_an_offer_stage_is_a_400_problem()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        await AssertProblem(await _client.PutAsJsonAsync($"/api/jobs/{id}/stages/6", new JsonObject()), HttpStatusCode.BadRequest);
        await AssertProblem(await _client.PutAsJsonAsync($"/api/jobs/{id}/stages/9", new JsonObject()), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Editing_while_the_job_runs_or_before_the_stage_has_an_output_is_a_409_problem()
    {
        var running = await Seeding.CreateResearchJobAsync();
        await Seeding.Store.SetStatusAsync(running, JobStatus.Running);
        await Seeding.SucceedAsync(running, 1, StageOutputs.Valid(1).ToJsonString());
        await AssertProblem(await _client.PutAsJsonAsync($"/api/jobs/{running}/stages/1", StageOutputs.Valid(1)), HttpStatusCode.Conflict);

        var failed = await Seeding.CreateResearchJobAsync();
        await Seeding.Store.SetStatusAsync(failed, JobStatus.Failed, "Stage 1 failed.");
        await AssertProblem(await _client.PutAsJsonAsync($"/api/jobs/{failed}/stages/1", StageOutputs.Valid(1)), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unknown_jobs_stages_and_versions_are_404_problems_and_a_bad_version_a_400()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        await AssertProblem(await _client.PutAsJsonAsync("/api/jobs/0123456789abcdef0123456789abcdef/stages/1", StageOutputs.Valid(1)), HttpStatusCode.NotFound);
        await AssertProblem(await _client.GetAsync("/api/jobs/nope/stages/1/versions"), HttpStatusCode.NotFound);
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/stages/9/versions"), HttpStatusCode.NotFound);
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/stages/1?version=7"), HttpStatusCode.NotFound);
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/stages/1?version=0"), HttpStatusCode.BadRequest, "version");
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/stages/1?version=newest"), HttpStatusCode.BadRequest, "version");
    }
}
