using System.Globalization;

namespace MarketIntel.Bench.App;

/// <summary>What the app benchmark varies between scenarios.</summary>
/// <param name="LatencyScale">The emulator's latency scale: 0 answers at once, 1 mirrors the real models.</param>
/// <param name="SectionedReport">The workers' <c>Stages:SectionedReport</c>: stage 6 section by section (the default) or in one call.</param>
internal sealed record AppSettings(double LatencyScale, int Workers, bool SectionedReport = true);

/// <summary>
/// The real app as separate processes, started from the Release build: redis-server (append-only, as the AppHost runs
/// it), the model emulator, the api and one or more workers. Configured as in production except for the limits a load
/// test must lift (job submissions per client, provider requests per minute, cost budgets).
/// </summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ServiceProcess> _processes = [];
    private readonly string _redisDirectory = Directory.CreateTempSubdirectory("marketintel-bench-redis-").FullName;

    private RunningApp(AppSettings settings) => Settings = settings;

    public AppSettings Settings { get; }

    public required HttpClient Api { get; init; }

    /// <summary>The emulator's own address, for scenarios that call it without the app (the gateway peer).</summary>
    public required Uri Emulator { get; init; }

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public ServiceProcess ApiProcess => _processes.Single(p => p.Name == "api");

    public IEnumerable<ServiceProcess> Workers => _processes.Where(p => p.Name.StartsWith("worker", StringComparison.Ordinal));

    public static async Task<RunningApp> StartAsync(AppSettings settings)
    {
        var redisPort = ServiceProcess.FreePort();
        var emulatorPort = ServiceProcess.FreePort();
        var apiPort = ServiceProcess.FreePort();
        var app = new RunningApp(settings)
        {
            Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") },
            Emulator = new Uri($"http://127.0.0.1:{emulatorPort}"),
        };
        try
        {
            var redis = app.Add(ServiceProcess.Start("redis", "redis-server",
                ["--port", Port(redisPort), "--bind", "127.0.0.1", "--dir", app._redisDirectory, "--appendonly", "yes",
                 "--appendfsync", "everysec", "--save", ""],
                app._redisDirectory, new Dictionary<string, string>(), "Ready to accept connections"));
            var emulator = app.Add(StartService("model-emulator", "MarketIntel.ModelEmulator", new()
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{emulatorPort}",
                ["Emulator__LatencyScale"] = settings.LatencyScale.ToString(CultureInfo.InvariantCulture),
            }, "Now listening on"));
            await Task.WhenAll(redis.WaitReadyAsync(StartTimeout), emulator.WaitReadyAsync(StartTimeout));

            var redisConnection = $"127.0.0.1:{redisPort}";
            for (var i = 1; i <= settings.Workers; i++)
            {
                app.Add(StartService($"worker-{i}", "MarketIntel.Worker", new()
                {
                    // Its probes' web host on a port of the system's choice: several workers run side by side.
                    ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                    ["ConnectionStrings__redis"] = redisConnection,
                    ["Emulator__BaseUrl"] = $"http://127.0.0.1:{emulatorPort}",
                    ["Providers__workers-ai__RequestsPerMinute"] = "100000",
                    ["Budgets__PerJobCostUsd"] = "1000",
                    ["Budgets__DailyCostUsdPerProvider"] = "1000000",
                    ["Stages__SectionedReport"] = settings.SectionedReport ? "true" : "false",
                }, "consuming"));
            }
            app.Add(StartService("api", "MarketIntel.Api", new()
            {
                ["ASPNETCORE_URLS"] = app.Api.BaseAddress!.ToString(),
                ["ConnectionStrings__redis"] = redisConnection,
                ["RateLimits__JobsPerMinute"] = "100000",
                // Required on start; the benchmark calls no admin route.
                ["Admin__ApiKey"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            }, "Now listening on"));
            await Task.WhenAll(app._processes.Select(p => p.WaitReadyAsync(StartTimeout)));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        // Workers and api first, so none of them logs a storm of Redis errors while it goes.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }
        try
        {
            Directory.Delete(_redisDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private ServiceProcess Add(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static ServiceProcess StartService(string name, string project, Dictionary<string, string> environment, string readyLine)
    {
        // The services of the bench's own build (eng/bench.sh builds Release; the smoke test uses its configuration).
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var directory = Path.Combine(RepositoryRoot, "src", project, "bin", output.Parent!.Name, output.Name);
        var assembly = Path.Combine(directory, project + ".dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is missing: eng/bench.sh builds it (Release).", assembly);
        }
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return ServiceProcess.Start(name, "dotnet", [assembly], directory, environment, readyLine);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "MarketIntel.sln")))
                {
                    return directory.FullName;
                }
            }
            throw new InvalidOperationException("MarketIntel.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
