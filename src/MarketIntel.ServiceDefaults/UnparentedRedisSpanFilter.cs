using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps Redis spans that have no parent out of the exported traces. Those are the workers' own background commands
/// (queue polling, claims, lease renewals, cancel checks: several per second per worker), which would otherwise bury the
/// job and request traces on the dashboard. Redis calls made inside a request or a job have a parent and are kept.
/// </summary>
public sealed class UnparentedRedisSpanFilter : BaseProcessor<Activity>
{
    /// <summary>The activity source of the Redis instrumentation that Aspire's Redis client integration enables.</summary>
    public const string RedisSourceName = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    public override void OnEnd(Activity data)
    {
        // Exporters skip activities that are not marked recorded; this processor runs before them.
        if (data.Source.Name == RedisSourceName && data.ParentSpanId == default)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
