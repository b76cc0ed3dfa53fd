using System.Diagnostics;
using System.Diagnostics.Metrics;
using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Worker;

/// <summary>The worker's traces and metrics (source and meter <c>MarketIntel</c>, docs/architecture.md §7).</summary>
public sealed class PipelineTelemetry : IDisposable
{
    public const string Name = Microsoft.Extensions.Hosting.Extensions.MarketIntelTelemetryName;

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Histogram<int> _quality;
    private readonly Counter<long> _validationFailures;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private long _queueDepth;

    public PipelineTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _stageDuration = _meter.CreateHistogram<double>("marketintel.stage.duration", "s", "Wall time of a stage, all attempts included.");
        _tokens = _meter.CreateCounter<long>("marketintel.tokens", "{token}", "Tokens sent to and received from models.");
        _cost = _meter.CreateCounter<double>("marketintel.cost", "USD", "Model cost from token usage and catalogue prices.");
        _quality = _meter.CreateHistogram<int>("marketintel.quality_score", "{score}", "Quality score of validated stage outputs.");
        _validationFailures = _meter.CreateCounter<long>("marketintel.validation_failures", "{failure}", "Model outputs that failed validation.");
        _retries = _meter.CreateCounter<long>("marketintel.retries", "{retry}", "Provider retries and validation re-asks.");
        _fallbacks = _meter.CreateCounter<long>("marketintel.fallbacks", "{fallback}", "Calls that fell back to the stable model.");
        _cacheHits = _meter.CreateCounter<long>("marketintel.cache.hits", "{hit}", "Stage outputs served from the cache.");
        _cacheMisses = _meter.CreateCounter<long>("marketintel.cache.misses", "{miss}", "Stage runs that needed a model call.");
        _meter.CreateObservableGauge("marketintel.queue.depth", () => Interlocked.Read(ref _queueDepth), "{job}",
            "Jobs waiting for a worker or running (queue entries not yet finished).");
    }

    public void SetQueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);

    public void StageCompleted(int stage, string model, RouteKind route, TimeSpan duration, bool succeeded)
    {
        _stageDuration.Record(duration.TotalSeconds, [.. Tags(stage, model, route), new("marketintel.outcome", succeeded ? "succeeded" : "failed")]);
    }

    public void Attempt(int stage, string model, RouteKind route, long tokensIn, long tokensOut, decimal cost, int? quality, bool valid)
    {
        var tags = Tags(stage, model, route);
        _tokens.Add(tokensIn, tags.Append(new("gen_ai.token.type", "input")).ToArray());
        _tokens.Add(tokensOut, tags.Append(new("gen_ai.token.type", "output")).ToArray());
        _cost.Add((double)cost, tags);
        if (quality is { } score)
        {
            _quality.Record(score, tags);
        }
        if (!valid)
        {
            _validationFailures.Add(1, tags);
        }
    }

    public void Retry(int stage, string model, string reason) =>
        _retries.Add(1, new("marketintel.stage", stage), new("gen_ai.request.model", model), new("marketintel.retry_reason", reason));

    public void Fallback(int stage, string from, string to) =>
        _fallbacks.Add(1, new("marketintel.stage", stage), new("marketintel.from_model", from), new("gen_ai.request.model", to));

    public void Cache(int stage, bool hit) =>
        (hit ? _cacheHits : _cacheMisses).Add(1, new KeyValuePair<string, object?>("marketintel.stage", stage));

    private static KeyValuePair<string, object?>[] Tags(int stage, string model, RouteKind route) =>
    [
        new("marketintel.stage", stage),
        new("gen_ai.request.model", model),
        new("marketintel.route", route.ToString().ToLowerInvariant()),
    ];

    public void Dispose() => _meter.Dispose();
}
