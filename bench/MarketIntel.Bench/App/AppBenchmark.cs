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
    /// <summary>Pairs of calls per mode (straight to the emulator, through the gateway) in the gateway peer scenario.</summary>
    public int GatewayCalls { get; init; } = 500;
    /// <summary>One full job per sample profile (three samples), all submitted at once.</summary>
    public int RealisticJobs { get; init; } = 3;
    /// <summary>The real models' speed (the emulator's profiles: 800 ms to the first token, 40 tokens/s for Llama 3.1
    /// 70B), so a full job takes about ten minutes; a smaller scale is for quick checks only.</summary>
    public double RealisticLatencyScale { get; init; } = 1;
    public int ThroughputJobs { get; init; } = 40;
    /// <summary>0 leaves out the four throughput scenarios (each starts its own app).</summary>
    public int ThroughputRounds { get; init; } = 3;
    /// <summary>Jobs per round of the slot-bound throughput scenario: three times one worker's concurrent jobs.</summary>
    public int SlotBoundJobs { get; init; } = 24;
    /// <summary>Enough latency that jobs wait on the models, so job slots, not the CPU, bound the throughput.</summary>
    public double SlotBoundLatencyScale { get; init; } = 0.02;
    public int WarmupJobs { get; init; } = 3;
    /// <summary>How the realistic scenario's worker writes stage 6; <see cref="ReportMode.Both"/> runs the scenario twice, side by side.</summary>
    public ReportMode Report { get; init; } = ReportMode.Sectioned;
}

/// <summary>
/// The worker's <c>Stages:SectionedReport</c> in the realistic scenario: the report section by section (the default) or
/// in one call as before. The setting is per worker process, so <see cref="Both"/> starts an app for each (its own
/// redis, emulator, api and worker) and runs the two at once: independent queues, the same machine load.
/// </summary>
internal enum ReportMode
{
    Sectioned,
    SingleCall,
    Both,
}

/// <summary>
/// The end-to-end scenarios of issue #8 against the real processes. Times come from the job records (server clocks of
/// one machine) except the cached rerun, which is also timed by the client from POST to seeing the finished job.
/// </summary>
internal sealed class AppBenchmark(AppBenchmarkOptions options, TextWriter output)
{
    private static readonly TimeSpan SlowPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(1);
    /// <summary>Shorter than the worker's progress interval (500 ms), so the first progress write it makes is seen.</summary>
    private static readonly TimeSpan ProgressPoll = TimeSpan.FromMilliseconds(200);
    private const int ReportStage = 6;
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
            // While the worker is idle, so the gateway and the emulator have the machine the overhead jobs had.
            await GatewayPeerAsync(app.Emulator);
            await CachedRerunAsync(client, finished);
        }
        await RealisticLatencyAsync();
        if (options.ThroughputRounds > 0)
        {
            await ScalingAsync(latencyScale: 0, options.ThroughputJobs, "at zero latency");
            await ScalingAsync(options.SlotBoundLatencyScale, options.SlotBoundJobs,
                $"with jobs waiting on the models (emulator latency × {options.SlotBoundLatencyScale.ToString(CultureInfo.InvariantCulture)})");
        }
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

    /// <summary>
    /// The peer for the overhead above: per call, what an off-the-shelf OpenAI-compatible gateway adds between a caller
    /// and the same emulator at zero latency. Skipped, and said so, where node or npm is missing.
    /// </summary>
    private async Task GatewayPeerAsync(Uri emulator)
    {
        Line($"## Peer: an off-the-shelf gateway in front of the same emulator ({options.GatewayCalls} call pairs per mode, one call at a time)");
        Line();
        var (peer, skipped) = await GatewayPeer.StartAsync(emulator);
        if (peer is null)
        {
            Line($"Skipped: {skipped}.");
            Line();
            return;
        }
        IReadOnlyList<GatewayFigures> figures;
        await using (peer)
        {
            figures = await peer.MeasureAsync(options.GatewayCalls, warmupCalls: Math.Min(options.GatewayCalls, 50));
        }
        Line("Portkey AI gateway (npm `@portkey-ai/gateway`, bench/gateway), provider `openai` with the emulator as custom host; " +
             "the same 1,000-token chat completion straight to the emulator and through the gateway, back to back.");
        Line();
        Line("| mode | direct p50 | through the gateway p50 | added by the gateway p50 | added p99 |");
        Line("|---|---:|---:|---:|---:|");
        foreach (var mode in figures)
        {
            Line($"| {mode.Mode} | {Percentiles.Median(mode.DirectMs):0.00} ms | {Percentiles.Median(mode.GatewayMs):0.00} ms | " +
                 $"**{Percentiles.Median(mode.DifferenceMs):0.00} ms** | {Percentiles.Of(mode.DifferenceMs, 99):0.00} ms |");
        }
        Line();
    }

    /// <summary>
    /// One full job per sample profile, submitted together, at the realistic latency scale: how close each comes to the
    /// least time its DAG allows, how soon a user sees something, and what the original's one-stage-after-another run
    /// would have taken on the same stage times; with <see cref="ReportMode.Both"/>, once per way of writing stage 6,
    /// side by side, and the two compared.
    /// </summary>
    private async Task RealisticLatencyAsync()
    {
        bool[] sectioned = options.Report switch
        {
            ReportMode.Sectioned => [true],
            ReportMode.SingleCall => [false],
            _ => [false, true],
        };
        // Numbered before the apps start: each variant gets the same samples, and no two jobs the same inputs.
        var planned = sectioned.Select(s => (Sectioned: s, Jobs: Enumerable.Range(0, options.RealisticJobs)
            .Select(i => (Sample: _samples[i % _samples.Count], Variant: NextVariant())).ToList())).ToList();
        var variants = await Task.WhenAll(planned.Select(p => RunRealisticAsync(p.Sectioned, p.Jobs)));
        foreach (var variant in variants)
        {
            RealisticLatencyReport(variant, sideBySide: variants.Length > 1);
        }
        if (variants is [var single, var sections])
        {
            SectionedAgainstSingleCall(single, sections);
        }
    }

    /// <summary>The realistic jobs of one variant, on an app of its own.</summary>
    private async Task<RealisticVariant> RunRealisticAsync(bool sectioned, IReadOnlyList<(SampleProfile Sample, int Variant)> jobs)
    {
        await using var app = await RunningApp.StartAsync(new AppSettings(options.RealisticLatencyScale, Workers: 1, sectioned));
        var client = new JobClient(app.Api);
        // No warm-up job: one would cost as long as the scenario. The first stage output therefore includes the fresh
        // worker's first-call costs (JIT, connections), a fraction of a second against minutes.
        var runs = await Task.WhenAll(jobs.Select(async job =>
        {
            var id = await client.SubmitAsync(job.Sample, job.Variant);
            DateTimeOffset? firstWords = null;
            var result = await client.WaitAsync(id, ProgressPoll, view =>
                firstWords ??= view.Stages.FirstOrDefault(s => s.Stage == ReportStage)?.Progress is { TokensOut: > 0 } progress ? progress.UpdatedAt : null);
            return new RealisticRun(job.Sample.ToString(), result, result.Stages.Single(s => s.Stage == ReportStage), firstWords - result.CreatedAt);
        }));
        return new RealisticVariant(sectioned, runs);
    }

    private void RealisticLatencyReport(RealisticVariant variant, bool sideBySide)
    {
        var scale = options.RealisticLatencyScale.ToString(CultureInfo.InvariantCulture);
        Line($"## Realistic latency (emulator profile × {scale}; {options.RealisticJobs} full jobs, one per sample profile, " +
             $"submitted together, 1 worker; stage 6 {variant.Name})");
        Line();
        if (sideBySide)
        {
            Line("Run at the same time as the other way of writing stage 6, each on an app of its own (redis, emulator, api, worker).");
            Line();
        }
        Line("| job | wall | critical path (model) | wall / critical | first stage output | first words of the report | " +
             "original's sequential sum | wall / sequential |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|");
        var toCritical = new List<double>();
        var toSequential = new List<double>();
        var firstOutputs = new List<double>();
        foreach (var run in variant.Runs)
        {
            var job = run.Job;
            var critical = CriticalModelPath(job);
            // The original ran the stages one after another: its job lasts the sum of the stage times.
            var sequential = TimeSpan.FromMilliseconds(job.Stages.Sum(s => s.DurationMs!.Value));
            var firstOutput = job.Stages.Where(s => s.Status == "succeeded").Min(s => s.FinishedAt!.Value) - job.CreatedAt;
            toCritical.Add(job.WallTime / critical);
            toSequential.Add(job.WallTime / sequential);
            firstOutputs.Add(firstOutput.TotalSeconds);
            Line($"| {run.Sample} | {Seconds(job.WallTime)} | {Seconds(critical)} | {job.WallTime / critical:0.000} | {Seconds(firstOutput)} | " +
                 $"{FirstWords(run)} | {Seconds(sequential)} | {job.WallTime / sequential:0.000} |");
        }
        var firstWordsAt = variant.Runs.Where(r => r.FirstWords is not null).Select(r => r.FirstWords!.Value.TotalSeconds).ToList();
        Line($"| **median** | | | **{Percentiles.Median(toCritical):0.000}** | **{Percentiles.Median(firstOutputs):0.00} s** | " +
             $"{(firstWordsAt.Count > 0 ? $"**{Percentiles.Median(firstWordsAt):0.00} s**" : "")} | | **{Percentiles.Median(toSequential):0.000}** |");
        Line();
        Line("First words of the report: the worker's stamp on the first progress of stage 6 with tokens in it, as the job view " +
             "shows it (written at most every 500 ms while the report streams).");
        Line();
        AttemptsAtRealSpeed(variant.Runs.Select(r => (r.Sample, r.Job)).ToList());
    }

    /// <summary>
    /// Stage 6 and the whole job, single call against sections (issue 14), from the two variants' runs: per job, then
    /// each variant's median and the ratio of the medians.
    /// </summary>
    private void SectionedAgainstSingleCall(RealisticVariant single, RealisticVariant sectioned)
    {
        Line("## Sectioned report against the single call (the two variants side by side, each on an app of its own)");
        Line();
        Line("| job | stage 6 | stage 6 (start → finish) | its model time | its model calls | full job wall | critical path (model) | first words of the report |");
        Line("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var variant in new[] { single, sectioned })
        {
            foreach (var run in variant.Runs)
            {
                Line($"| {run.Sample} | {variant.Name} | {Seconds(run.Stage6Duration)} | {Seconds(run.Report.ModelTime)} | " +
                     $"{run.Report.Attempts.Count(a => a.Route != "shadow" && !a.CacheHit)} | {Seconds(run.Job.WallTime)} | " +
                     $"{Seconds(CriticalModelPath(run.Job))} | {FirstWords(run)} |");
            }
        }
        // The columns after the variant's name; the model calls have no median row.
        IReadOnlyList<Func<RealisticRun, TimeSpan?>?> columns =
        [
            r => r.Stage6Duration,
            r => r.Report.ModelTime,
            null,
            r => r.Job.WallTime,
            r => CriticalModelPath(r.Job),
            r => r.FirstWords,
        ];
        double? Median(RealisticVariant variant, Func<RealisticRun, TimeSpan?> measure) =>
            variant.Runs.Select(measure).Where(t => t is not null).Select(t => t!.Value.TotalSeconds).ToList() is { Count: > 0 } values
                ? Percentiles.Median(values)
                : null;
        string Cells(Func<Func<RealisticRun, TimeSpan?>, string> cell) => string.Join(" | ", columns.Select(c => c is null ? "" : cell(c)));
        foreach (var variant in new[] { single, sectioned })
        {
            Line($"| **median** | {variant.Name} | {Cells(m => Median(variant, m) is { } v ? $"**{v:0.00} s**" : "")} |");
        }
        Line($"| **sectioned / single call** | | {Cells(m => Median(sectioned, m) is { } s && Median(single, m) is { } c && c > 0 ? $"**{s / c:0.000}**" : "")} |");
        Line();
        Line("Stage 6 (start → finish) is its state's start and finish; its model time is its chain of model calls (the single " +
             "call, or the longest section's calls plus the summary's); the ratio row divides the medians.");
        Line();
    }

    private static string FirstWords(RealisticRun run) => run.FirstWords is { } seen ? Seconds(seen) : "not seen";

    /// <summary>One realistic job: <paramref name="FirstWords"/> is from the job's creation to the report's first progress with tokens.</summary>
    private sealed record RealisticRun(string Sample, JobResult Job, StageResult Report, TimeSpan? FirstWords)
    {
        public TimeSpan Stage6Duration => TimeSpan.FromMilliseconds(Report.DurationMs!.Value);
    }

    private sealed record RealisticVariant(bool Sectioned, IReadOnlyList<RealisticRun> Runs)
    {
        public string Name => Sectioned ? "sectioned" : "single call";
    }

    /// <summary>Every model call of the realistic jobs: at real speed none may time out (issue 13).</summary>
    private void AttemptsAtRealSpeed(IReadOnlyList<(string Sample, JobResult Job)> runs)
    {
        Line("| job | model calls | retried inside a call | attempts not succeeded | timed out or stalled | why |");
        Line("|---|---:|---:|---:|---:|---|");
        foreach (var (sample, job) in runs)
        {
            var calls = job.Stages.SelectMany(s => s.Attempts).Where(a => !a.CacheHit).ToList();
            var reasons = calls.SelectMany(a => a.RetryReasons.Concat(WhyNotSucceeded(a))).ToList();
            var timedOut = reasons.Count(IsTimeout);
            var why = reasons.Count == 0 ? "–" : string.Join("; ", reasons.GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}"));
            Line($"| {sample} | {calls.Count} | {calls.Sum(a => a.Retries)} | {calls.Count(a => a.Outcome != "succeeded")} | {timedOut} | {why} |");
        }
        Line();
    }

    /// <summary>A provider error's own words; an invalid answer's validation errors are many and say nothing of speed.</summary>
    private static IEnumerable<string> WhyNotSucceeded(AttemptResult attempt) => attempt.Outcome switch
    {
        "succeeded" => [],
        "invalid" => ["invalid answer, asked again"],
        _ => attempt.Errors.DefaultIfEmpty(attempt.Outcome),
    };

    private static bool IsTimeout(string reason) =>
        reason.Contains("timeout", StringComparison.OrdinalIgnoreCase) ||
        reason.Contains("no first token", StringComparison.OrdinalIgnoreCase) ||
        reason.Contains("stream stalled", StringComparison.OrdinalIgnoreCase);

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
