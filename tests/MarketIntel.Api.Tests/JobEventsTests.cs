using System.Net;
using MarketIntel.Storage;
using StackExchange.Redis;
using static MarketIntel.Api.Tests.CreateJobTests;

namespace MarketIntel.Api.Tests;

public class JobEventsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private JobSeeding Seeding => new(factory, _client);

    [Fact]
    public async Task All_events_are_replayed_in_order_and_the_stream_ends_when_the_job_is_terminal()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        var (response, events) = await ReadAsync($"/api/jobs/{id}/events");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stored = await factory.Redis.Connection!.GetDatabase().StreamRangeAsync(RedisKeys.JobEvents(id));
        Assert.Equal(stored.Select(e => e.Id.ToString()), events.Select(e => e.Id));
        Assert.Equal(("job", "Queued"), (events[0].Type, Status(events[0])));
        Assert.Equal(("job", "Succeeded"), (events[^1].Type, Status(events[^1])));
        Assert.Contains(events, e => e.Type == "stage" && e.Data.Contains("\"stage\":6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reconnect_with_Last_Event_ID_resumes_after_it_without_repeats()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();
        var (_, all) = await ReadAsync($"/api/jobs/{id}/events");

        var (_, resumed) = await ReadAsync($"/api/jobs/{id}/events", lastEventId: all[4].Id);
        var (_, byQuery) = await ReadAsync($"/api/jobs/{id}/events?lastEventId={all[4].Id}");

        Assert.Equal(all.Skip(5).Select(e => e.Id), resumed.Select(e => e.Id));
        Assert.Equal(all.Skip(5).Select(e => e.Id), byQuery.Select(e => e.Id));
        Assert.Equal(all.Skip(5).Select(e => e.Data), resumed.Select(e => e.Data));
    }

    [Fact]
    public async Task A_running_job_is_followed_until_it_finishes()
    {
        var id = await Seeding.CreateResearchJobAsync();
        await Seeding.Store.SetStatusAsync(id, JobStatus.Running);

        var reading = ReadAsync($"/api/jobs/{id}/events");
        await Task.Delay(600);
        Assert.False(reading.IsCompleted, "The stream ended while the job was still running.");
        await Seeding.SucceedAsync(id, 1, StageOutputs.Valid(1).ToJsonString());
        await Seeding.Store.SetStatusAsync(id, JobStatus.Failed, "Stage 2 failed.");

        var (_, events) = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["Queued", "Running", "Running", "Succeeded", "Failed"], events.Select(Status));
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("1700000000000-0; DROP")]
    [InlineData("+")]
    public async Task An_invalid_Last_Event_ID_is_a_400_problem(string lastEventId)
    {
        var id = await Seeding.CreateResearchJobAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}/events");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        await AssertProblem(await _client.SendAsync(request), HttpStatusCode.BadRequest, "Last-Event-ID");
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/events?lastEventId={Uri.EscapeDataString(lastEventId)}"), HttpStatusCode.BadRequest, "lastEventId");
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("mi:job:*")]
    public async Task Events_of_an_unknown_job_are_a_404_problem(string id) =>
        await AssertProblem(await _client.GetAsync($"/api/jobs/{Uri.EscapeDataString(id)}/events"), HttpStatusCode.NotFound);

    private static string? Status(SseEvent e) =>
        System.Text.Json.Nodes.JsonNode.Parse(e.Data)!["status"]?.GetValue<string>();

    /// <summary>An SSE event; <see cref="Id"/> is null for live progress events, which are not replayable.</summary>
    internal sealed record SseEvent(string? Id, string Type, string Data);

    private Task<(HttpResponseMessage Response, List<SseEvent> Events)> ReadAsync(string url, string? lastEventId = null) =>
        ReadAsync(_client, url, lastEventId);

    /// <summary>Reads an SSE response to its end (which only comes when the job is terminal).</summary>
    internal static async Task<(HttpResponseMessage Response, List<SseEvent> Events)> ReadAsync(HttpClient client, string url, string? lastEventId = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var events = new List<SseEvent>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? id = null, type = null, data = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    events.Add(new SseEvent(id, type ?? "message", data));
                }
                id = type = data = null;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.Null(data);
                data = line[6..];
            }
        }
        return (response, events);
    }
}
