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
