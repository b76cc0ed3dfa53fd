using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using Microsoft.Extensions.DependencyInjection;
using static MarketIntel.Api.Tests.CreateJobTests;

namespace MarketIntel.Api.Tests;

/// <summary>
/// The live view of a streaming job (docs/real-speed.md): a running stage's tokens against its budget and the job's
/// time left in the job view and as <c>progress</c> events, the report as far as it is written, and whether the
/// emulator answers.
/// </summary>
public class LiveProgressTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Model = "@cf/meta/llama-3.1-70b-instruct";

    private readonly HttpClient _client = factory.CreateClient();

    private JobSeeding Seeding => new(factory, _client);

    private async Task<string> RunningResearchJobWithStage2StreamingAsync(long tokensOut)
    {
        var id = await Seeding.CreateResearchJobAsync();
        await Seeding.Store.SetStatusAsync(id, JobStatus.Running);
        await Seeding.SucceedAsync(id, 1, StageOutputs.Valid(1).ToJsonString());
        var now = Seeding.Store.Time.GetUtcNow();
        await Seeding.Store.SetStageAsync(id, new StageState { Stage = 2, Name = StageCatalog.Get(2).Name, Status = StageStatus.Running, Model = Model, StartedAt = now });
        await Seeding.Store.SetProgressAsync(id, Progress(2, tokensOut, 4000, now));
        return id;
    }

    private static StageProgress Progress(int stage, long tokensOut, int maxTokens, DateTimeOffset at) => new()
    {
        Stage = stage,
        Model = Model,
        TokensOut = tokensOut,
        MaxTokens = maxTokens,
        TokensPerSecond = 40,
        StartedAt = at,
        UpdatedAt = at.AddSeconds(1),
    };

    [Fact]
    public async Task The_job_view_shows_a_running_stages_tokens_against_its_budget_and_the_time_the_job_still_needs()
    {
        var id = await RunningResearchJobWithStage2StreamingAsync(tokensOut: 1000);

        var job = (await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}"))!;

        var stage2 = job["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<int>() == 2)!;
        Assert.Equal(1000, stage2["progress"]!["tokensOut"]!.GetValue<long>());
        Assert.Equal(4000, stage2["progress"]!["maxTokens"]!.GetValue<int>());
        Assert.Equal(25.0, stage2["progress"]!["percent"]!.GetValue<double>());
        Assert.Null(job["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<int>() == 3)!["progress"]);
        var secondsLeft = job["estimate"]!["secondsLeft"]!.GetValue<double>();

        // Further along, less is left: the estimate follows the stream.
        await Seeding.Store.SetProgressAsync(id, Progress(2, 1900, 4000, Seeding.Store.Time.GetUtcNow()));
        var later = (await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}"))!;
        Assert.True(later["estimate"]!["secondsLeft"]!.GetValue<double>() < secondsLeft);
    }

    [Fact]
    public async Task A_finished_job_shows_no_progress_and_no_estimate()
    {
        var id = await RunningResearchJobWithStage2StreamingAsync(tokensOut: 1000);
        await Seeding.SucceedAsync(id, 2, StageOutputs.Valid(2).ToJsonString());
        await Seeding.Store.SetStatusAsync(id, JobStatus.Failed, "Stage 3 failed.");

        var job = (await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}"))!;

        Assert.Null(job["estimate"]);
        Assert.All(job["stages"]!.AsArray(), s => Assert.Null(s!["progress"]));
    }

    [Fact]
    public async Task The_event_stream_carries_progress_events_without_ids_between_the_stage_events()
    {
        var id = await RunningResearchJobWithStage2StreamingAsync(tokensOut: 1000);

        var reading = JobEventsTests.ReadAsync(_client, $"/api/jobs/{id}/events");
        await Task.Delay(500);
        await Seeding.Store.SetProgressAsync(id, Progress(2, 2000, 4000, Seeding.Store.Time.GetUtcNow().AddSeconds(5)));
        await Task.Delay(500);
        await Seeding.SucceedAsync(id, 2, StageOutputs.Valid(2).ToJsonString());
        await Seeding.Store.SetStatusAsync(id, JobStatus.Cancelled, "Cancelled by the user.");

        var (_, events) = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        var progress = events.Where(e => e.Type == "progress").Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal([1000L, 2000L], progress.Select(p => p["tokensOut"]!.GetValue<long>()));
        Assert.All(progress, p => Assert.Equal(2, p["stage"]!.GetValue<int>()));
        Assert.All(progress, p => Assert.True(p["secondsLeft"]!.GetValue<double>() > 0));
        Assert.All(events.Where(e => e.Type == "progress"), e => Assert.Null(e.Id));
        Assert.Equal("job", events[^1].Type);
    }

    [Fact]
    public async Task The_report_being_written_is_served_as_text_while_stage_6_streams_and_not_otherwise()
    {
        var id = await Seeding.CreateResearchJobAsync();
        await Seeding.Store.SetStatusAsync(id, JobStatus.Running);
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/report/draft"), HttpStatusCode.NotFound);

        var now = Seeding.Store.Time.GetUtcNow();
        await Seeding.Store.SetStageAsync(id, new StageState { Stage = 6, Name = StageCatalog.Get(6).Name, Status = StageStatus.Running, Model = Model, StartedAt = now });
        await Seeding.Store.SetProgressAsync(id, Progress(6, 300, 12000, now), "# Market Intelligence Report\n\n## Executive Summary\n\nThe market");

        var draft = (await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/report/draft"))!;
        Assert.StartsWith("# Market Intelligence Report", draft["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(300, draft["progress"]!["tokensOut"]!.GetValue<long>());

        await Seeding.SucceedAsync(id, 6, JobSeeding.Report);
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/report/draft"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_pages_can_tell_when_the_emulator_answers()
    {
        var serving = factory.Services.GetRequiredService<ServingStore>();

        await serving.PublishAsync(new Dictionary<string, string> { [Model] = ServingStore.Emulator });
        var emulated = (await _client.GetFromJsonAsync<JsonObject>("/api/models/serving"))!;
        Assert.True(emulated["emulated"]!.GetValue<bool>());
        Assert.Equal("emulator", emulated["models"]![Model]!.GetValue<string>());

        await serving.PublishAsync(new Dictionary<string, string> { [Model] = "workers-ai" });
        Assert.False((await _client.GetFromJsonAsync<JsonObject>("/api/models/serving"))!["emulated"]!.GetValue<bool>());
    }
}
