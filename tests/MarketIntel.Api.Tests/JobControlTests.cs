using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Storage;
using StackExchange.Redis;
using static MarketIntel.Api.Tests.CreateJobTests;

namespace MarketIntel.Api.Tests;

public class JobControlTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private JobSeeding Seeding => new(factory, _client);

    [Fact]
    public async Task A_rerun_resets_only_the_stale_stages_and_queues_the_job_again()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();
        var edited = StageOutputs.Valid(4);
        edited["avatar_name"] = "Priya, the overlooked engineering manager";
        (await _client.PutAsJsonAsync($"/api/jobs/{id}/stages/4", edited)).EnsureSuccessStatusCode();

        var response = await _client.PostAsync($"/api/jobs/{id}/rerun", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("queued", job["status"]!.GetValue<string>());
        Assert.Null(job["finishedAt"]);
        var stages = job["stages"]!.AsArray().ToDictionary(s => s!["stage"]!.GetValue<int>(), s => s!.AsObject());
        Assert.Equal(["succeeded", "succeeded", "succeeded", "succeeded", "pending", "pending"], stages.Values.Select(s => s["status"]!.GetValue<string>()));
        Assert.All(stages.Values, s => Assert.False(s["stale"]!.GetValue<bool>()));

        var queue = await factory.Redis.Connection!.GetDatabase().StreamRangeAsync(RedisKeys.JobQueue);
        Assert.Equal(2, queue.Count(e => e["job"] == id));
        // The worker resumes from the latest outputs: the edited stage is finished and its latest version is the user's.
        var latest = await Seeding.Store.GetLatestOutputAsync(id, 4);
        Assert.Equal(OutputSource.User, latest!.Source);
    }

    [Fact]
    public async Task A_failed_job_reruns_its_failed_and_skipped_stages_too()
    {
        var id = await Seeding.CreateResearchJobAsync();
        await Seeding.Store.SetStatusAsync(id, JobStatus.Running);
        await Seeding.SucceedAsync(id, 1, StageOutputs.Valid(1).ToJsonString());
        await Seeding.Store.SetStageAsync(id, new StageState { Stage = 2, Name = "Buyer Psychology", Status = StageStatus.Failed, Error = "invalid" });
        await Seeding.Store.SetStatusAsync(id, JobStatus.Failed, "Stage 2 failed.");

        var job = (await (await _client.PostAsync($"/api/jobs/{id}/rerun", null)).Content.ReadFromJsonAsync<JsonObject>())!;

        var statuses = job["stages"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()).ToList();
        Assert.Equal(["succeeded", "pending", "pending", "pending", "pending", "pending"], statuses);
        Assert.Null(job["error"]);
    }

    [Fact]
    public async Task A_rerun_of_a_queued_or_running_job_or_with_nothing_stale_is_a_409_problem()
    {
        var queued = await Seeding.CreateResearchJobAsync();
        await AssertProblem(await _client.PostAsync($"/api/jobs/{queued}/rerun", null), HttpStatusCode.Conflict);

        await Seeding.Store.SetStatusAsync(queued, JobStatus.Running);
        await AssertProblem(await _client.PostAsync($"/api/jobs/{queued}/rerun", null), HttpStatusCode.Conflict);

        var finished = await Seeding.CreateFinishedResearchJobAsync();
        await AssertProblem(await _client.PostAsync($"/api/jobs/{finished}/rerun", null), HttpStatusCode.Conflict);

        await AssertProblem(await _client.PostAsync("/api/jobs/0123456789abcdef0123456789abcdef/rerun", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_is_accepted_and_recorded()
    {
        var id = await Seeding.CreateResearchJobAsync();

        var response = await _client.PostAsync($"/api/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(id, job["id"]!.GetValue<string>());
        Assert.True(await Seeding.Store.IsCancelRequestedAsync(id));
        var events = await Seeding.Store.ReadEventsAsync(id, "0-0");
        Assert.Contains(events, e => e.Event.Message == "Cancellation requested.");
    }

    [Theory]
    [InlineData(JobStatus.Succeeded)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Cancelled)]
    public async Task Cancelling_a_terminal_job_is_a_409_problem(JobStatus status)
    {
        var id = await Seeding.CreateResearchJobAsync();
        await Seeding.Store.SetStatusAsync(id, status);

        await AssertProblem(await _client.PostAsync($"/api/jobs/{id}/cancel", null), HttpStatusCode.Conflict);
        Assert.False(await Seeding.Store.IsCancelRequestedAsync(id));
    }

    [Fact]
    public async Task Cancelling_an_unknown_job_is_a_404_problem() =>
        await AssertProblem(await _client.PostAsync("/api/jobs/not-a-job/cancel", null), HttpStatusCode.NotFound);
}
