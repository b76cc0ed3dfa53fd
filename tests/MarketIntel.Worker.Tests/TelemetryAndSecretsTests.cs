using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// A job on "Workers AI" credentials (served by the emulator): its spans and metrics, read through the OpenTelemetry
/// in-memory exporter, and a search of every log line, span attribute and error text for the API token.
/// </summary>
public sealed class TelemetryAndSecretsTests : RedisAndEmulatorTest
{
    private const string Token = "cf-token-7Qz9-SECRET-do-not-log";
    private const string Stable = "@cf/meta/llama-3.1-70b-instruct";
    private const string Failing = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";

    [Fact]
    public async Task A_job_leaves_a_trace_with_a_span_per_stage_attempt_metrics_and_no_token_anywhere()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var logs = new ConcurrentQueue<string>();
        using var host = WorkerHost.Build(Redis, Emulator,
            new Dictionary<string, string?>
            {
                ["Providers:workers-ai:AccountId"] = "acc-123",
                ["Providers:workers-ai:ApiToken"] = Token,
            },
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                builder.Logging.AddProvider(new CollectingLoggerProvider(logs));
                builder.Services.AddOpenTelemetry()
                    .WithTracing(t => t.AddSource(PipelineTelemetry.Name, Microsoft.Extensions.Hosting.Extensions.GenAiTelemetryName).AddInMemoryExporter(spans))
                    .WithMetrics(m => m.AddMeter(PipelineTelemetry.Name).AddInMemoryExporter(metrics));
            });
        // A candidate that always fails on stage 1, so error texts exist to be searched too.
        await Emulator.CreateClient().PutAsJsonAsync($"/admin/profiles/{Failing}", new JsonObject { ["http500Rate"] = 1.0 });
        await host.Services.GetRequiredService<RoutingStore>().ChangeAsync(
            doc => doc with { Stages = new(doc.Stages) { [1] = doc.For(1) with { Candidate = Failing, CandidateShare = 100 } } },
            "change", "test", "A failing candidate");
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var job = JobRecoveryTests.NewJob();
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();
        var recorded = PipelineJson.Serialize((await store.GetAsync(job.Id))!);
        // Disposing flushes and stops every exporter, so nothing is appended while the lists are read (the Redis
        // instrumentation exports on a timer of its own).
        host.Services.GetRequiredService<TracerProvider>().Dispose();
        host.Services.GetRequiredService<MeterProvider>().Dispose();

        Assert.Equal(JobStatus.Succeeded, done.Status);

        // One trace per job: a job span, and a span per stage attempt under it with our attributes.
        // The activity source is process-wide: other tests' jobs may be recorded too, so pick this job's trace.
        var jobSpan = Assert.Single(spans, s => s.OperationName.StartsWith("job ", StringComparison.Ordinal) && Equals(s.GetTagItem("marketintel.job_id"), job.Id));
        var stageSpans = spans.Where(s => s.OperationName.StartsWith("stage ", StringComparison.Ordinal) && Equals(s.GetTagItem("marketintel.job_id"), job.Id)).ToList();
        Assert.All(stageSpans, s => Assert.Equal(jobSpan.TraceId, s.TraceId));
        foreach (var stage in job.Stages)
        {
            var attempts = stageSpans.Where(s => Equals(s.GetTagItem("marketintel.stage"), stage)).ToList();
            Assert.NotEmpty(attempts);
            Assert.All(attempts, s =>
            {
                Assert.NotNull(s.GetTagItem("marketintel.route"));
                Assert.NotNull(s.GetTagItem("gen_ai.request.model"));
            });
            Assert.Contains(attempts, s => s.GetTagItem("marketintel.quality") is not null && s.GetTagItem("marketintel.cost") is not null);
        }
        Assert.Contains(stageSpans, s => Equals(s.GetTagItem("marketintel.route"), "candidate") && s.Status == ActivityStatusCode.Error);
        Assert.Contains(stageSpans, s => Equals(s.GetTagItem("marketintel.route"), "fallback"));
        // Microsoft.Extensions.AI's GenAI spans are children in the same trace.
        Assert.Contains(spans, s => s.OperationName.StartsWith("chat", StringComparison.Ordinal) && s.TraceId == jobSpan.TraceId
            && s.GetTagItem("gen_ai.usage.input_tokens") is not null);

        var names = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains("marketintel.stage.duration", names);
        Assert.Contains("marketintel.tokens", names);
        Assert.Contains("marketintel.cost", names);
        Assert.Contains("marketintel.fallbacks", names);
        Assert.Contains("marketintel.cache.misses", names);

        // The token never appears: not in logs, span attributes, events or error texts the job records.
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, line => line.Contains(Token, StringComparison.Ordinal));
        foreach (var span in spans)
        {
            Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(Token, StringComparison.Ordinal) == true);
            Assert.DoesNotContain(span.Events.SelectMany(e => e.Tags), tag => tag.Value?.ToString()?.Contains(Token, StringComparison.Ordinal) == true);
            Assert.DoesNotContain(Token, span.StatusDescription ?? "");
        }
        Assert.Contains("HTTP 500", recorded);
        Assert.DoesNotContain(Token, recorded);
    }

    [Fact]
    public void Redis_spans_without_a_parent_are_not_exported_and_those_inside_a_job_are()
    {
        var spans = new List<Activity>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry().WithTracing(t => t
            .AddSource(UnparentedRedisSpanFilter.RedisSourceName, PipelineTelemetry.Name)
            .AddInMemoryExporter(spans));
        using var host = builder.Build();
        var tracer = host.Services.GetRequiredService<TracerProvider>();
        using var redisSource = new ActivitySource(UnparentedRedisSpanFilter.RedisSourceName);
        var marker = Guid.NewGuid().ToString("N");

        using (var polling = redisSource.StartActivity("XREADGROUP", ActivityKind.Client, parentContext: default))
        {
            polling?.SetTag("test.marker", marker);
        }
        using (var job = PipelineTelemetry.Source.StartActivity("job full"))
        {
            job?.SetTag("test.marker", marker);
            using var stored = redisSource.StartActivity("HSET", ActivityKind.Client);
            stored?.SetTag("test.marker", marker);
        }
        tracer.ForceFlush();

        var exported = spans.Where(s => Equals(s.GetTagItem("test.marker"), marker)).Select(s => s.OperationName).Order().ToList();
        Assert.Equal(["HSET", "job full"], exported);
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, lines, () => _scopes);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Collector(string category, ConcurrentQueue<string> lines, Func<IExternalScopeProvider?> scopes) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => scopes()?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopeText = new List<string>();
                scopes()?.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopeText);
                var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{category}|{formatter(state, exception)}|{structured}|{string.Join(";", scopeText)}|{exception}");
            }
        }
    }
}
