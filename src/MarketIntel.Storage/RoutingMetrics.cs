using System.Diagnostics.Metrics;

namespace MarketIntel.Storage;

/// <summary>
/// Routing changes on meter <c>MarketIntel</c>, recorded where every change is written, so the api (manual and emergency
/// rollbacks) and the worker (automatic ones) count alike: <c>marketintel.routing.changes</c> by kind, and
/// <c>marketintel.rollbacks</c> for the kinds that undo a change.
/// </summary>
public sealed class RoutingMetrics
{
    /// <summary>The meter ServiceDefaults exports (Extensions.MarketIntelTelemetryName, not referenced from here).</summary>
    public const string MeterName = "MarketIntel";

    private readonly Counter<long> _changes;
    private readonly Counter<long> _rollbacks;

    public RoutingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _changes = meter.CreateCounter<long>("marketintel.routing.changes", "{change}", "New routing versions, by kind of change.");
        _rollbacks = meter.CreateCounter<long>("marketintel.rollbacks", "{rollback}", "Routing rollbacks: manual, emergency or automatic.");
    }

    public void Changed(string kind)
    {
        var tag = new KeyValuePair<string, object?>("marketintel.change_kind", kind);
        _changes.Add(1, tag);
        if (kind.EndsWith("rollback", StringComparison.Ordinal))
        {
            _rollbacks.Add(1, tag);
        }
    }
}
