using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Api.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Tests;

public class AdminKeyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void The_api_does_not_start_without_an_admin_key(string key)
    {
        // A factory of its own: the shared one names operators, which would be keys enough.
        using var bare = new ApiFactory { NamedOperators = false };
        using var unkeyed = bare.WithWebHostBuilder(builder => builder.UseSetting("Admin:ApiKey", key));

        var error = Assert.ThrowsAny<Exception>(() => unkeyed.CreateClient());

        Assert.IsType<OptionsValidationException>(error.GetBaseException());
        Assert.Contains("Admin:ApiKey", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test-admin-key", true)]
    [InlineData("test-admin-kez", false)]
    [InlineData("test-admin-key ", false)]
    [InlineData("TEST-ADMIN-KEY", false)]
    [InlineData("test", false)]
    [InlineData("", false)]
    public void Keys_match_exactly(string provided, bool matches) =>
        Assert.Equal(matches, AdminKeyFilter.Matches(provided, ApiFactory.AdminKey));

    [Fact]
    public void An_empty_configured_key_matches_nothing() =>
        Assert.False(AdminKeyFilter.Matches("", ""));

    [Theory]
    [InlineData("alice-key-0123", "alice")]
    [InlineData("dave-key-0123", "dave")]
    [InlineData("test-admin-key", AdminKeyOptions.LegacyOperator)]
    [InlineData("alice-key-0124", null)]
    [InlineData("", null)]
    public void A_key_identifies_its_operator_by_hash(string provided, string? expected)
    {
        var configured = new AdminKeyOptions
        {
            ApiKey = ApiFactory.AdminKey,
            Operators = ApiFactory.Operators.ToDictionary(n => n, n => ApiFactory.Hash(ApiFactory.OperatorKey(n))),
        };

        Assert.Equal(expected, AdminKeyFilter.Identify(provided, configured));
    }

    [Theory]
    [InlineData("alice", "sha256:1234", "Admin:Operators:alice must be \"sha256:\"")]
    [InlineData("alice", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Admin:Operators:alice must be \"sha256:\"")]
    [InlineData("eve <script>", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "the name \"eve <script>\" must be")]
    public void A_malformed_operator_stops_the_api_at_start_with_the_reason(string name, string hash, string expected)
    {
        var options = new AdminKeyOptions { Operators = new() { [name] = hash } };

        Assert.Contains(options.Problems(), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Named_operators_alone_are_enough_and_the_single_key_is_then_refused()
    {
        using var bare = new ApiFactory();
        await bare.InitializeAsync();
        try
        {
            using var named = bare.WithWebHostBuilder(builder => builder.UseSetting("Admin:ApiKey", ""));
            var client = named.CreateClient();

            using var asAlice = new HttpRequestMessage(HttpMethod.Get, "/api/routing");
            asAlice.Headers.Add(AdminKeyFilter.HeaderName, ApiFactory.OperatorKey("alice"));
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.SendAsync(asAlice)).StatusCode);
            using var withEmptyLegacy = new HttpRequestMessage(HttpMethod.Get, "/api/routing");
            withEmptyLegacy.Headers.Add(AdminKeyFilter.HeaderName, " ");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.SendAsync(withEmptyLegacy)).StatusCode);
        }
        finally
        {
            await ((IAsyncLifetime)bare).DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unknown_key_is_401_and_logged_without_the_key()
    {
        var logs = new LogCapture();
        using var logged = factory.WithWebHostBuilder(builder => builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs)));
        const string secretGuess = "guess-9f8e7d6c5b4a";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/routing/history");
        request.Headers.Add(AdminKeyFilter.HeaderName, secretGuess);

        var response = await logged.CreateClient().SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        var attempt = Assert.Single(logs.Messages, m => m.Contains("unknown API key", StringComparison.Ordinal));
        Assert.Contains("/api/routing/history", attempt, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(secretGuess, StringComparison.Ordinal) || m.Contains("guess-9f8e", StringComparison.Ordinal));
    }

    /// <summary>Every formatted log message of the api, in memory.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public ILogger CreateLogger(string categoryName) => new Logger(_messages);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }

    [Fact]
    public async Task The_openapi_document_lists_the_routing_routes()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = document!["paths"]!.AsObject();

        Assert.NotNull(paths["/api/routing"]!["get"]);
        Assert.NotNull(paths["/api/routing/stages/{stage}"]!["put"]);
        Assert.NotNull(paths["/api/routing/history"]!["get"]);
        Assert.NotNull(paths["/api/routing/rollback"]!["post"]);
        Assert.NotNull(paths["/api/routing/versions/{version}"]!["get"]);
    }
}
