using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.AppHost.Tests;

[Collection(AppCollection.Name)]
public class EndToEndTests(AppFixture app)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_research_job_runs_stage_1_through_the_real_app_and_stores_a_valid_output_in_redis()
    {
        var sample = Sample("wealth-executive-coaching.json");
        var response = await app.Api.PostAsJsonAsync("/api/jobs", new JsonObject { ["kind"] = "research", ["profile"] = sample["profile"]!.DeepClone() });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var id = location.Split('/')[^1];

        var stage1 = await WaitForAsync(location, job => Stage(job, 1)?["status"]?.GetValue<string>() is "succeeded" or "failed");

        Assert.Equal("succeeded", Stage(stage1, 1)!["status"]!.GetValue<string>());
        var stored = await app.Redis.GetDatabase().ListGetByIndexAsync($"mi:job:{id}:output:1", 0);
        Assert.False(stored.IsNull);
        var content = JsonNode.Parse(stored.ToString())!["content"]!.GetValue<string>();
        var validation = StageCatalog.Get(1).Validate(content, new StageInput(new(), null, new Dictionary<int, string>()));
        Assert.True(validation.IsValid, string.Join("; ", validation.Errors));

        var output = await app.Api.GetFromJsonAsync<JsonObject>($"{location}/stages/1");
        Assert.Equal(1, output!["version"]!.GetValue<int>());
        Assert.True(output["validation"]!["isValid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_malformed_request_gets_a_400_problem_from_the_running_api()
    {
        var response = await app.Api.PostAsync("/api/jobs", new StringContent("{\"kind\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    internal static JsonObject Sample(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", file)))!.AsObject();

    internal static JsonObject? Stage(JsonObject job, int stage) =>
        job["stages"]!.AsArray().Select(s => s!.AsObject()).FirstOrDefault(s => s["stage"]!.GetValue<int>() == stage);

    private async Task<JsonObject> WaitForAsync(string location, Func<JsonObject, bool> done)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        while (true)
        {
            var job = await app.Api.GetFromJsonAsync<JsonObject>(location, timeout.Token);
            if (done(job!) || job!["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled")
            {
                return job!;
            }
            await Task.Delay(200, timeout.Token);
        }
    }
}

[Collection(AppCollection.Name)]
public class FullJobTests(AppFixture app)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(4);

    public static TheoryData<string> SampleFiles() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples"), "*.json").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public async Task A_full_job_for_each_sample_succeeds_and_every_output_passes_its_validator(string file)
    {
        var sample = EndToEndTests.Sample(file);
        var location = await SubmitAsync(new JsonObject
        {
            ["kind"] = "full",
            ["profile"] = sample["profile"]!.DeepClone(),
            ["preferences"] = sample["preferences"]!.DeepClone(),
        });

        var job = await WaitForTerminalAsync(location);

        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        foreach (var stage in Enumerable.Range(1, 13))
        {
            var output = await app.Api.GetFromJsonAsync<JsonObject>($"{location}/stages/{stage}");
            Assert.True(output!["validation"]!["isValid"]!.GetValue<bool>(), $"stage {stage}: {output["validation"]}");
        }
        var report = (await app.Api.GetFromJsonAsync<JsonObject>($"{location}/stages/6"))!["content"]!.GetValue<string>();
        var words = report.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(words, 5000, 6000);
        Assert.StartsWith($"# Market Intelligence Report: {sample["profile"]!["business_name"]}", report);
        // The export adds the offer (stages 7-13) as a second part.
        var export = await app.Api.GetStringAsync($"{location}/report?format=md");
        Assert.StartsWith($"# Market Intelligence Report: {sample["profile"]!["business_name"]}", export);
        Assert.Contains("\n# Strategic Offer: ", export);
    }

    [Fact]
    public async Task Rerunning_the_same_research_makes_no_model_call_and_an_edit_of_stage_2_reruns_only_its_downstream()
    {
        var sample = EndToEndTests.Sample("health-menopause-nutrition.json");
        var request = new JsonObject { ["kind"] = "research", ["profile"] = sample["profile"]!.DeepClone() };
        var first = await WaitForTerminalAsync(await SubmitAsync(request));
        Assert.Equal("succeeded", first["status"]!.GetValue<string>());

        var secondLocation = await SubmitAsync(request);
        var second = await WaitForTerminalAsync(secondLocation);
        Assert.Equal("succeeded", second["status"]!.GetValue<string>());
        Assert.Equal(0, second["totals"]!["modelCalls"]!.GetValue<int>());
        Assert.Equal(6, second["totals"]!["cachedStages"]!.GetValue<int>());

        // Edit stage 2 of the second job, then rerun what the edit made stale.
        var stage2 = await app.Api.GetFromJsonAsync<JsonObject>($"{secondLocation}/stages/2");
        var edited = stage2!["content"]!.AsObject();
        edited["price_justification"] = "Edited by the owner: one avoided specialist visit pays for the programme twice over.";
        var put = await app.Api.PutAsJsonAsync($"{secondLocation}/stages/2", edited);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var rerun = await app.Api.PostAsync($"{secondLocation}/rerun", null);
        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        var after = await WaitForTerminalAsync(secondLocation);

        Assert.Equal("succeeded", after["status"]!.GetValue<string>());
        var stage1 = EndToEndTests.Stage(after, 1)!;
        Assert.True(stage1["cached"]!.GetValue<bool>());
        Assert.All(stage1["attempts"]!.AsArray(), a => Assert.True(a!["cacheHit"]!.GetValue<bool>()));
        foreach (var downstream in new[] { 3, 4, 5, 6 })
        {
            var stage = EndToEndTests.Stage(after, downstream)!;
            Assert.Equal("succeeded", stage["status"]!.GetValue<string>());
            Assert.Contains(stage["attempts"]!.AsArray(), a => !a!["cacheHit"]!.GetValue<bool>());
        }
        var latest2 = await app.Api.GetFromJsonAsync<JsonObject>($"{secondLocation}/stages/2");
        Assert.Equal("user", latest2!["source"]!.GetValue<string>());
    }

    private async Task<string> SubmitAsync(JsonObject request)
    {
        var response = await app.Api.PostAsJsonAsync("/api/jobs", request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    private async Task<JsonObject> WaitForTerminalAsync(string location)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        // A rerun flips the job back to queued; wait until it has left the terminal state it was in, then for the end.
        while (true)
        {
            var job = await app.Api.GetFromJsonAsync<JsonObject>(location, timeout.Token);
            if (job!["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled"
                && job["stages"]!.AsArray().All(s => s!["status"]!.GetValue<string>() is not ("pending" or "running" or "retrying" or "fallback")))
            {
                return job;
            }
            await Task.Delay(250, timeout.Token);
        }
    }
}
