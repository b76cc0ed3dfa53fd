using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace MarketIntel.Api.Tests;

/// <summary>The api with a job submission limit of 3 per minute.</summary>
public sealed class RateLimitedApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:JobsPerMinute", "3");
    }
}

public class RateLimitTests(RateLimitedApiFactory factory) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task Submissions_beyond_the_limit_get_429_with_retry_after()
    {
        var client = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/jobs", Samples.ResearchRequest())).StatusCode);
        }

        var rejected = await client.PostAsJsonAsync("/api/jobs", Samples.ResearchRequest());

        await CreateJobTests.AssertProblem(rejected, HttpStatusCode.TooManyRequests);
        Assert.True(rejected.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Reading jobs is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
    }
}

public class IdempotencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_same_job_and_creates_no_other()
    {
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(Samples.ResearchRequest(), key);
        var retry = await PostAsync(Samples.ResearchRequest(), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        var jobs = await _client.GetFromJsonAsync<JsonArray>("/api/jobs?limit=200");
        var id = first.Headers.Location!.ToString().Split('/')[^1];
        Assert.Single(jobs!, j => j!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_a_409()
    {
        var key = Guid.NewGuid().ToString();
        await PostAsync(Samples.ResearchRequest(), key);
        var other = Samples.ResearchRequest();
        other["profile"]!["niche"] = "Something else entirely";

        var response = await PostAsync(other, key);

        await CreateJobTests.AssertProblem(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Different_keys_create_different_jobs()
    {
        var a = await PostAsync(Samples.ResearchRequest(), Guid.NewGuid().ToString());
        var b = await PostAsync(Samples.ResearchRequest(), Guid.NewGuid().ToString());

        Assert.NotEqual(a.Headers.Location, b.Headers.Location);
    }

    [Theory]
    [InlineData("has space", 1)]
    [InlineData("x", 201)]
    [InlineData("é", 1)]
    public async Task An_invalid_key_is_a_400_naming_the_header(string part, int repeat)
    {
        var response = await PostAsync(Samples.ResearchRequest(), string.Concat(Enumerable.Repeat(part, repeat)));

        await CreateJobTests.AssertProblem(response, HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return _client.SendAsync(request);
    }
}
