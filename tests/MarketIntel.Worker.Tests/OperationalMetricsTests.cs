using System.Diagnostics.Metrics;
using MarketIntel.Storage;
using MarketIntel.Worker.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketIntel.Worker.Tests;

/// <summary>The queue-depth gauge and the rollback counter of meter MarketIntel (docs/architecture.md §7), read with a MeterListener.</summary>
public sealed class OperationalMetricsTests : RedisAndEmulatorTest
{
    [Fact]
    public async Task Queue_depth_counts_the_jobs_waiting_and_drops_to_zero_once_a_worker_has_finished_them()
    {
        using var host = WorkerHost.Build(Redis, Emulator);
        var store = host.Services.GetRequiredService<JobStore>();
        var sampler = new QueueDepthSampler(Redis.Connection!, host.Services.GetRequiredService<PipelineTelemetry>(), TimeProvider.System,
            NullLogger<QueueDepthSampler>.Instance);
        using var metrics = new ScopedMetrics(host.Services.GetRequiredService<IMeterFactory>());

        var jobs = Enumerable.Range(0, 3).Select(_ => JobRecoveryTests.NewJob()).ToList();
        foreach (var job in jobs)
        {
            await store.CreateAsync(job);
        }
        await sampler.SampleAsync();
        var waiting = metrics.Observe("marketintel.queue.depth");

        await host.StartAsync();
        foreach (var job in jobs)
        {
            await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        }
        // A job's entry is acknowledged just after its final status is written.
        var drained = await WaitForAsync(async () =>
        {
            await sampler.SampleAsync();
            return metrics.Observe("marketintel.queue.depth") == 0;
        });
        await host.StopAsync();

        Assert.Equal(3, waiting);
        Assert.True(drained, "the queue depth did not drop to 0 after the jobs finished");
    }

    [Fact]
    public async Task A_rollback_is_counted_with_its_kind_and_every_change_by_kind()
    {
        using var host = WorkerHost.Build(Redis, Emulator);
        var routing = host.Services.GetRequiredService<RoutingStore>();
        using var metrics = new ScopedMetrics(host.Services.GetRequiredService<IMeterFactory>());

        var change = await routing.ChangeAsync(d => d with { Stages = new(d.Stages) { [1] = d.For(1) with { Temperature = 0.5 } } },
            "change", "alice", "Cooler stage 1");
        await routing.RollbackAsync(change.PreviousVersion!.Value, "alice", "Back to the known-good routing", approved: false);

        Assert.Equal(1, metrics.Sum("marketintel.rollbacks", "rollback"));
        Assert.Equal(0, metrics.Sum("marketintel.rollbacks", "change"));
        Assert.Equal(1, metrics.Sum("marketintel.routing.changes", "change"));
        Assert.Equal(1, metrics.Sum("marketintel.routing.changes", "rollback"));
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (await condition())
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Listens only to the meters of one host's factory: other tests' hosts run in the same process.</summary>
    private sealed class ScopedMetrics : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, long Value, string? Kind)> _measurements = [];
        private readonly Dictionary<string, long> _latest = [];

        public ScopedMetrics(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? kind = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "marketintel.change_kind")
                    {
                        kind = tag.Value as string;
                    }
                }
                lock (_measurements)
                {
                    _measurements.Add((instrument.Name, value, kind));
                    _latest[instrument.Name] = value;
                }
            });
            _listener.Start();
        }

        /// <summary>Reads the observable instruments now and returns the gauge's value (null when it reported none).</summary>
        public long? Observe(string gauge)
        {
            lock (_measurements)
            {
                _latest.Remove(gauge);
            }
            _listener.RecordObservableInstruments();
            lock (_measurements)
            {
                return _latest.TryGetValue(gauge, out var value) ? value : null;
            }
        }

        public long Sum(string counter, string kind)
        {
            lock (_measurements)
            {
                return _measurements.Where(m => m.Name == counter && m.Kind == kind).Sum(m => m.Value);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
