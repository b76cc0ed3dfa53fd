using System.Globalization;
using MarketIntel.Bench.App;
using MarketIntel.Bench.Micro;

// eng/bench.sh builds Release and runs "app" then "micro"; see docs/benchmarks.md.
return args switch
{
    ["app", .. var rest] => await RunAppAsync(rest),
    ["micro", .. var rest] => RunMicro(rest),
    _ => Usage(),
};

static async Task<int> RunAppAsync(string[] args)
{
    if (!TryParse(args, out var options, out var error))
    {
        Console.Error.WriteLine(error);
        return Usage();
    }
    var report = await new AppBenchmark(options, Console.Out).RunAsync();
    var path = Path.Combine("artifacts", "bench", "app.md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine($"Written to {Path.GetFullPath(path)}");
    return 0;
}

static int RunMicro(string[] args)
{
    var table = MicroBenchmarks.Run(args);
    Console.WriteLine(table);
    var path = Path.Combine("artifacts", "bench", "micro.md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, table);
    Console.WriteLine($"Written to {Path.GetFullPath(path)}");
    return 0;
}

static bool TryParse(string[] args, out AppBenchmarkOptions options, out string? error)
{
    options = new AppBenchmarkOptions();
    error = null;
    for (var i = 0; i < args.Length; i += 2)
    {
        if (i + 1 >= args.Length)
        {
            error = $"{args[i]} needs a value.";
            return false;
        }
        var value = args[i + 1];
        var ok = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0;
        var count = (int)number;
        switch (args[i])
        {
            case "--overhead-jobs" when ok && count >= 1: options = options with { OverheadJobs = count }; break;
            case "--cached-jobs" when ok && count >= 1: options = options with { CachedJobs = count }; break;
            case "--gateway-calls" when ok && count >= 1: options = options with { GatewayCalls = count }; break;
            case "--realistic-jobs" when ok && count >= 1: options = options with { RealisticJobs = count }; break;
            case "--latency-scale" when ok && number > 0: options = options with { RealisticLatencyScale = number }; break;
            case "--throughput-jobs" when ok && count >= 1: options = options with { ThroughputJobs = count }; break;
            case "--throughput-rounds" when ok: options = options with { ThroughputRounds = count }; break;
            case "--bound-jobs" when ok && count >= 1: options = options with { SlotBoundJobs = count }; break;
            case "--bound-latency-scale" when ok && number > 0: options = options with { SlotBoundLatencyScale = number }; break;
            case "--warmup-jobs" when ok: options = options with { WarmupJobs = count }; break;
            case "--report" when ParseReportMode(value) is { } mode: options = options with { Report = mode }; break;
            default:
                error = $"Unknown option or bad value: {args[i]} {value}";
                return false;
        }
    }
    if (options.CachedJobs > options.OverheadJobs)
    {
        error = "--cached-jobs reruns jobs of the overhead scenario, so it cannot exceed --overhead-jobs.";
        return false;
    }
    return true;
}

static ReportMode? ParseReportMode(string value) => value switch
{
    "sectioned" => ReportMode.Sectioned,
    "single-call" => ReportMode.SingleCall,
    "both" => ReportMode.Both,
    _ => null,
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage:
          MarketIntel.Bench app [--overhead-jobs 40] [--cached-jobs 20] [--gateway-calls 500] [--realistic-jobs 3]
                                [--latency-scale 1] [--throughput-jobs 40] [--throughput-rounds 3 (0: none)]
                                [--bound-jobs 24] [--bound-latency-scale 0.02] [--warmup-jobs 3]
                                [--report sectioned|single-call|both]
            --latency-scale is the realistic scenario's emulator speed: 1 is the real models' (a full job takes about
            ten minutes); a small value such as 0.01 keeps a smoke run short.
            --report is how the realistic scenario's worker writes stage 6 (Stages:SectionedReport): section by section,
            in one call as before, or both, side by side on two apps, compared in "Sectioned report against the single call".
          MarketIntel.Bench micro [BenchmarkDotNet arguments, e.g. --filter *Validate*]
        """);
    return 2;
}
