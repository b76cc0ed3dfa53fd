using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace MarketIntel.Api.Tests;

/// <summary>
/// While Redis is down the api answers 503 problem details with Retry-After, promptly (the Redis client's timeouts are
/// a few seconds, not a hang), and serves again by itself once Redis is back.
/// </summary>
public sealed class RedisOutageTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task During_a_redis_outage_requests_get_a_503_problem_and_the_api_recovers_by_itself()
    {
        var client = factory.CreateClient();
        var created = await client.PostAsJsonAsync("/api/jobs", Samples.ResearchRequest());
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var location = created.Headers.Location!.ToString();

        var restart = factory.Redis.RestartAsync(TimeSpan.FromSeconds(12));
        var answers = new List<(string Request, int Status, string? Type, double Seconds)>();
        foreach (var (method, path) in new[] { ("GET", location), ("GET", "/api/jobs"), ("POST", "/api/jobs") })
        {
            // Bounded: the test fails rather than waits if a request hangs on the dead connection.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var watch = Stopwatch.StartNew();
            using var response = method == "GET"
                ? await client.GetAsync(path, bound.Token)
                : await client.PostAsJsonAsync(path, Samples.ResearchRequest(), bound.Token);
            answers.Add(($"{method} {path}", (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, watch.Elapsed.TotalSeconds));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter is not null);
        }
        await restart;

        using var recovered = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        HttpStatusCode status;
        do
        {
            status = (await client.GetAsync(location, recovered.Token)).StatusCode;
        }
        while (status != HttpStatusCode.OK && !recovered.IsCancellationRequested && await Delay(recovered.Token));
        foreach (var answer in answers)
        {
            output.WriteLine($"{answer.Request}: {answer.Status} {answer.Type} after {answer.Seconds:0.0} s");
        }
        output.WriteLine($"after the restart: {status}");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<bool> Delay(CancellationToken cancellationToken)
    {
        await Task.Delay(200, cancellationToken);
        return true;
    }
}
