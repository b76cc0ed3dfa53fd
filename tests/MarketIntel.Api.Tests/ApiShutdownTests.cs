using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MarketIntel.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Api.Tests;

/// <summary>
/// A stopping api (SIGTERM or <c>IHost.StopAsync</c>) stops taking connections but lets the requests it has finish.
/// The api is built as Program builds it, on a real Kestrel socket: the in-memory test server has no connections to refuse.
/// </summary>
public sealed class ApiShutdownTests : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task A_stopping_api_refuses_new_connections_answers_the_request_in_flight_and_ends_event_streams_between_events()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ApplicationName = typeof(ApiExtensions).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["Admin:ApiKey"] = "test-admin-key",
            ["RateLimits:JobsPerMinute"] = "100000",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMarketIntelApi();
        await using var app = builder.Build();
        app.MapMarketIntelApi();
        await app.StartAsync();
        var baseAddress = new Uri(app.Urls.Single());

        // An event stream of a queued job (no worker runs, so it would stay open for good), read up to its first event.
        using var streamClient = new HttpClient { BaseAddress = baseAddress };
        var created = await streamClient.PostAsync("/api/jobs", Json(ResearchRequest("Stream")));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        using var events = await streamClient.GetAsync($"{created.Headers.Location}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync().WaitAsync(HangGuard) is var line && line != "event: job")
        {
            Assert.NotNull(line);
        }
        while (await reader.ReadLineAsync().WaitAsync(HangGuard) is { Length: > 0 })
        {
        }

        // A job submission whose body is held back half-way. With Expect: 100-continue the client sends the body only
        // when the endpoint starts reading it, so "started" means the request is inside the api.
        var body = new HeldBackContent(Encoding.UTF8.GetBytes(ResearchRequest("In flight").ToJsonString()));
        using var submitClient = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = HangGuard }) { BaseAddress = baseAddress };
        using var submission = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = body };
        submission.Headers.ExpectContinue = true;
        var submitting = submitClient.SendAsync(submission);
        await body.Started.Task.WaitAsync(HangGuard);

        var stopping = app.StopAsync();

        // The event stream ends cleanly (no reset, no half-written event) instead of holding shutdown to its timeout.
        var rest = await reader.ReadToEndAsync().WaitAsync(HangGuard);
        Assert.True(rest.Length == 0 || rest.EndsWith("\n\n", StringComparison.Ordinal), $"The stream ended mid-event: {rest}");

        // New connections are refused while the submission is still open.
        using (var timeout = new CancellationTokenSource(HangGuard))
        {
            while (!await IsRefusedAsync(baseAddress))
            {
                await Task.Delay(100, timeout.Token);
            }
        }
        Assert.False(submitting.IsCompleted);

        // The submission in flight gets its full answer.
        body.Release.SetResult();
        using var answer = await submitting.WaitAsync(HangGuard);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var job = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal($"/api/jobs/{job["id"]}", answer.Headers.Location!.OriginalString);
        Assert.Equal("queued", job["status"]!.GetValue<string>());

        await stopping.WaitAsync(HangGuard);
    }

    private static JsonObject ResearchRequest(string name)
    {
        var request = Samples.ResearchRequest();
        request["profile"]!["business_name"] = name;
        return request;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>A fresh connection, so that a pooled one to the stopping server cannot answer instead.</summary>
    private static async Task<bool> IsRefusedAsync(Uri baseAddress)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = baseAddress };
        try
        {
            using var response = await client.GetAsync("/api/models");
            return false;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return true;
        }
    }

    /// <summary>A JSON body of which the first half is sent at once and the rest only when released.</summary>
    private sealed class HeldBackContent : HttpContent
    {
        private readonly byte[] _bytes;

        public HeldBackContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            Started.SetResult();
            await Release.Task;
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
