using System.Diagnostics;
using System.Globalization;
using System.Text;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Bench.App;

/// <summary>How much of each scenario to run; the defaults are what docs/benchmarks.md quotes.</summary>
internal sealed record AppBenchmarkOptions
{
    public int OverheadJobs { get; init; } = 40;
    public int CachedJobs { get; init; } = 20;
    public int RealisticJobs { get; init; } = 3;
    /// <summary>A quarter of the real models' latency keeps a full job near two minutes; the fixed orchestration cost
    /// then weighs four times more against model time than at 1.0, so the ratios are upper bounds.</summary>
    public double RealisticLatencyScale { get; init; } = 0.25;
    public int ThroughputJobs { get; init; } = 40;
    public int ThroughputRounds { get; init; } = 3;
    /// <summary>Jobs per round of the slot-bound throughput scenario: three times one worker's concurrent jobs.</summary>
    public int SlotBoundJobs { get; init; } = 24;
    /// <summary>Enough latency that jobs wait on the models, so job slots, not the CPU, bound the throughput.</summary>
    public double SlotBoundLatencyScale { get; init; } = 0.02;
    public int WarmupJobs { get; init; } = 3;
}

/// <summary>
/// The end-to-end scenarios of issue #8 against the real processes. Times come from the job records (server clocks of
/// one machine) except the cached rerun, which is also timed by the client from POST to seeing the finished job.
/// </summary>
internal sealed class AppBenchmark(AppBenchmarkOptions options, TextWriter output)
{
    private static readonly TimeSpan SlowPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(1);
    private readonly IReadOnlyList<SampleProfile> _samples = SampleSuite.LoadAll();
    private readonly StringBuilder _report = new();
    private int _variant;

    public async Task<string> RunAsync()
    {
        Line($"# MarketIntel app benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line();
        Line(MachineDescription());
        Line();
        await using (var app = await RunningApp.StartAsync(new AppSettings(LatencyScale: 0, Workers: 1)))
        {
            var client = new JobClient(app.Api);
            await WarmUpAsync(client, options.WarmupJobs);
            var finished = await OverheadAsync(client);
            await CachedRerunAsync(client, finished);
        }
        await using (var app = await RunningApp.StartAsync(new AppSettings(options.RealisticLatencyScale, Workers: 1)))
        {
            await RealisticLatencyAsync(new JobClient(app.Api));
        }
        await ScalingAsync(latencyScale: 0, options.ThroughputJobs, "at zero latency");
        await ScalingAsync(options.SlotBoundLatencyScale, options.SlotBoundJobs,
            $"with jobs waiting on the models (emulator latency × {options.SlotBoundLatencyScale.ToString(CultureInfo.InvariantCulture)})");
        return _report.ToString();
    }

    /// <summary>Jobs whose timings are thrown away: the first calls of a fresh process pay for JIT and connection set-up.</summary>
    private async Task WarmUpAsync(JobClient client, int jobs)
    {
        for (var i = 0; i < jobs; i++)
        {
            await client.RunAsync(NextSample(), NextVariant(), SlowPoll);
        }
    }

    private async Task<IReadOnlyList<(SampleProfile Sample, int Variant)>> OverheadAsync(JobClient client)
    {
        Line($"## Orchestration overhead per stage, emulator at zero latency ({options.OverheadJobs} full jobs, one at a time, 1 worker)");
        Line();
        var perJob = new List<double>();
        var insideStage = new List<double>();
        var wall = new List<double>();
        var model = new List<double>();
        var finished = new List<(SampleProfile, int)>();
        var jobs = new List<JobResult>();
        for (var i = 0; i < options.OverheadJobs; i++)
        {
            var sample = NextSample();
            var variant = NextVariant();
            var (job, _) = await client.RunAsync(sample, variant, SlowPoll);
            finished.Add((sample, variant));
            jobs.Add(job);
            var critical = CriticalModelPath(job);
            wall.Add(job.WallTime.TotalMilliseconds);
            model.Add(critical.TotalMilliseconds);
            perJob.Add((job.WallTime - critical).TotalMilliseconds / job.Stages.Count);
            insideStage.AddRange(job.Stages.Select(s => s.DurationMs!.Value - s.ModelTime.TotalMilliseconds));
        }
        Line("| measure | p50 | p99 |");
        Line("|---|---:|---:|");
        Row("overhead per stage: (job wall − model time on the critical path) / 13", perJob, "ms");
        Row("  of which inside a stage: stage time − its model time", insideStage, "ms");
        Row("job wall time (created → finished)", wall, "ms");
        Row("model time on the critical path", model, "ms");
        Line();
        WhereTheTimeGoes(jobs.OrderBy(j => j.WallTime).ElementAt(jobs.Count / 2));
        return finished;
    }

    private async Task CachedRerunAsync(JobClient client, IReadOnlyList<(SampleProfile Sample, int Variant)> finished)
    {
        Line($"## Fully cached rerun of a full job ({options.CachedJobs} reruns of finished jobs' inputs, polled every 1 ms)");
        Line();
        var endToEnd = new List<double>();
        var server = new List<double>();
        var cachedStages = 0;
        foreach (var (sample, variant) in finished.Take(options.CachedJobs))
        {
            var (job, clientTime) = await client.RunAsync(sample, variant, FastPoll);
            endToEnd.Add(clientTime.TotalMilliseconds);
            server.Add(job.WallTime.TotalMilliseconds);
            cachedStages += job.Stages.Count(s => s.Cached);
        }
        Line("| measure | p50 | p99 |");
        Line("|---|---:|---:|");
        Row("client: POST sent → finished job seen", endToEnd, "ms");
        Row("server: created → finished", server, "ms");
        Line();
        Line($"Stages served from the cache: {cachedStages} of {finished.Take(options.CachedJobs).Count() * StageCatalog.All.Count()}.");
        Line();
    }

    private async Task RealisticLatencyAsync(JobClient client)
    {
        Line($"## Realistic latency (emulator profile × {options.RealisticLatencyScale.ToString(CultureInfo.InvariantCulture)}; " +
             $"{options.RealisticJobs} full jobs after one not counted, one at a time, 1 worker)");
        Line();
        Line("| job | wall | critical path (model) | critical path (stage times) | sum of model times | wall / critical | wall / sum |");
        Line("|---|---:|---:|---:|---:|---:|---:|");
        var toCritical = new List<double>();
        var toSum = new List<double>();
        // One job not counted, so JIT and first connections do not weigh on the first measured one.
        await WarmUpAsync(client, Math.Min(options.WarmupJobs, 1));
        for (var i = 1; i <= options.RealisticJobs; i++)
        {
            var (job, _) = await client.RunAsync(NextSample(), NextVariant(), SlowPoll);
            var critical = CriticalModelPath(job);
            var sum = job.Stages.Aggregate(TimeSpan.Zero, (total, s) => total + s.ModelTime);
            toCritical.Add(job.WallTime / critical);
            toSum.Add(job.WallTime / sum);
            var criticalStages = StageGraph.CriticalPath(job.Stages.ToDictionary(s => s.Stage, s => TimeSpan.FromMilliseconds(s.DurationMs!.Value)));
            Line($"| {i} | {Seconds(job.WallTime)} | {Seconds(critical)} | {Seconds(criticalStages)} | {Seconds(sum)} | " +
                 $"{job.WallTime / critical:0.000} | {job.WallTime / sum:0.000} |");
        }
        Line($"| **median** | | | | | **{Percentiles.Median(toCritical):0.000}** | **{Percentiles.Median(toSum):0.000}** |");
        Line();
    }

    /// <summary>Full jobs per second with one worker process and with two.</summary>
    private async Task ScalingAsync(double latencyScale, int jobsPerRound, string condition)
    {
        var rates = new List<double>();
        foreach (var workers in new[] { 1, 2 })
        {
            await using var app = await RunningApp.StartAsync(new AppSettings(latencyScale, workers));
            rates.Add(await ThroughputAsync(app, jobsPerRound, condition));
        }
        Line($"Throughput {condition}, 2 workers / 1 worker: **{rates[1] / rates[0]:0.00}×**");
        Line();
    }

    private async Task<double> ThroughputAsync(RunningApp app, int jobsPerRound, string condition)
    {
        var client = new JobClient(app.Api);
        await WarmUpAsync(client, options.WarmupJobs);
        var rates = new List<double>();
        var memory = new MemorySampler(app);
        var cpuBefore = app.Processes.ToDictionary(p => p.Name, p => p.CpuTime());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        memory.Start();
        for (var round = 0; round < options.ThroughputRounds; round++)
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, jobsPerRound).Select(_ => client.SubmitAsync(NextSample(), NextVariant())));
            var jobs = new List<JobResult>();
            foreach (var id in ids)
            {
                jobs.Add(await client.WaitAsync(id, SlowPoll));
            }
            var span = jobs.Max(j => j.FinishedAt!.Value) - jobs.Min(j => j.CreatedAt);
            rates.Add(jobs.Count / span.TotalSeconds);
        }
        var peaks = await memory.StopAsync();
        var elapsed = clock.Elapsed;
        var jobsRun = jobsPerRound * options.ThroughputRounds;
        var workers = app.Settings.Workers;
        Line($"## Throughput {condition}, {workers} worker{(workers == 1 ? "" : "s")} " +
             $"({options.ThroughputRounds} rounds of {jobsPerRound} full jobs submitted at once)");
        Line();
        Line("| round | " + string.Join(" | ", rates.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture))) + " | **median** |");
        Line("|---|" + string.Concat(rates.Select(_ => "---:|")) + "---:|");
        Line("| full jobs / s | " + string.Join(" | ", rates.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture))) +
             $" | **{Percentiles.Median(rates):0.00}** |");
        Line();
        Line("| process | CPU per job | share of the machine's CPU | resident memory, median under load | peak |");
        Line("|---|---:|---:|---:|---:|");
        foreach (var process in app.Processes)
        {
            var cpu = process.CpuTime() - cpuBefore[process.Name];
            var share = cpu / (elapsed * Environment.ProcessorCount);
            var figures = peaks.FirstOrDefault(p => p.Name == process.Name);
            Line($"| {process.Name} | {cpu.TotalMilliseconds / jobsRun:0} ms | {share:P0} | " +
                 (figures is null ? "| |" : $"{Megabytes(figures.MedianBytes)} | {Megabytes(figures.PeakBytes)} |"));
        }
        Line();
        return Percentiles.Median(rates);
    }

    /// <summary>Per stage of the median job: how long it waited after its inputs were ready, its model time and the rest.</summary>
    private void WhereTheTimeGoes(JobResult job)
    {
        Line($"Where the time goes in the median job ({job.WallTime.TotalMilliseconds:0} ms; times in ms):");
        Line();
        Line("| stage | start after inputs ready | model | rest of the stage | finished at |");
        Line("|---|---:|---:|---:|---:|");
        var stages = job.Stages.ToDictionary(s => s.Stage);
        foreach (var stage in job.Stages.OrderBy(s => s.StartedAt))
        {
            var ready = StageCatalog.Get(stage.Stage).Reads.Where(stages.ContainsKey)
                .Select(r => stages[r].FinishedAt!.Value).DefaultIfEmpty(job.CreatedAt).Max();
            var model = stage.ModelTime.TotalMilliseconds;
            Line($"| {stage.Stage} | {(stage.StartedAt!.Value - ready).TotalMilliseconds:0.0} | {model:0.0} | " +
                 $"{stage.DurationMs!.Value - model:0.0} | {(stage.FinishedAt!.Value - job.CreatedAt).TotalMilliseconds:0.0} |");
        }
        Line($"| job | | | | {job.WallTime.TotalMilliseconds:0.0} |");
        Line();
    }

    /// <summary>The least wall time the DAG allows: the longest chain of model time through it.</summary>
    private static TimeSpan CriticalModelPath(JobResult job) =>
        StageGraph.CriticalPath(job.Stages.ToDictionary(s => s.Stage, s => s.ModelTime));

    private SampleProfile NextSample() => _samples[_variant % _samples.Count];

    private int NextVariant() => ++_variant;

    private void Row(string label, IReadOnlyCollection<double> values, string unit) =>
        Line($"| {label} | {Percentiles.Of(values, 50):0.00} {unit} | {Percentiles.Of(values, 99):0.00} {unit} |");

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.00} s";

    private static string Megabytes(long bytes) => $"{bytes / 1024.0 / 1024.0:0} MB";

    private void Line(string text = "")
    {
        _report.AppendLine(text);
        output.WriteLine(text);
    }

    private static string MachineDescription()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"Machine: {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
               $".NET {Environment.Version}, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024} GiB. " +
               "Processes: redis-server (append-only, fsync every second), model emulator, api, worker(s), all on this machine.";
    }
}
