using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Api.Jobs;
using MarketIntel.Storage;
using MarketIntel.Testing;
using MarketIntel.Worker;
using MarketIntel.Worker.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MarketIntel.Web.Tests;

/// <summary>
/// The in-process model emulator (reached through its TestServer handler by the worker only). Its latency is real but
/// every configured profile answers at once, so a test can slow the models down through <c>/admin/profiles</c>.
/// </summary>
public sealed class EmulatorFactory : WebApplicationFactory<MarketIntel.ModelEmulator.EmulatorOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Emulator:LatencyScale", "1");
        builder.UseEnvironment("Testing");
        builder.ConfigureServices(services => services.PostConfigure<MarketIntel.ModelEmulator.EmulatorOptions>(options =>
        {
            options.DefaultProfile = Instant(options.DefaultProfile);
            foreach (var model in options.Profiles.Keys.ToList())
            {
                options.Profiles[model] = Instant(options.Profiles[model]);
            }
        }));
    }

    private static MarketIntel.ModelEmulator.ModelProfile Instant(MarketIntel.ModelEmulator.ModelProfile profile) => profile with { TimeToFirstTokenMs = 0, TokensPerSecond = 100_000 };
}

/// <summary>The api on Kestrel at a free loopback port, so that a real browser can reach it.</summary>
public sealed class KestrelApi(RedisServer redis) : WebApplicationFactory<CreateJobRequest>
{
    public const string AdminKey = "web-test-admin-key";

    public EventStreams EventStreams { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:redis", redis.ConnectionString);
        builder.UseSetting("Admin:ApiKey", AdminKey);
        builder.UseEnvironment("Testing");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(EventStreams));
    }
}

/// <summary>
/// The api's Server-Sent Events requests: where each asked to resume (Last-Event-ID header or lastEventId query, null
/// from the start), and the open ones, so that a test can drop them as a failing network would.
/// </summary>
public sealed class EventStreams : IStartupFilter
{
    private readonly ConcurrentDictionary<HttpContext, bool> _open = new();

    public ConcurrentQueue<string?> ResumedAfter { get; } = new();

    public int OpenCount => _open.Count;

    /// <summary>Aborts the connection of every open event stream (the browser sees a network error mid-stream).</summary>
    public void DropAll()
    {
        foreach (var context in _open.Keys)
        {
            context.Abort();
        }
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Path.Value?.EndsWith("/events", StringComparison.Ordinal) != true)
            {
                await nextMiddleware(context);
                return;
            }
            var header = context.Request.Headers["Last-Event-ID"].ToString();
            ResumedAfter.Enqueue(header.Length > 0 ? header : context.Request.Query["lastEventId"].FirstOrDefault());
            _open[context] = true;
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                _open.TryRemove(context, out _);
            }
        });
        next(app);
    };
}

/// <summary>
/// A whole MarketIntel for the browser: real redis-server, the api on Kestrel (loopback), optionally a real worker host
/// whose model calls reach the in-process emulator, and Debian's Chromium driven by Playwright.
/// </summary>
public abstract class WebApp : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly RedisServer _redis = new();
    private readonly EmulatorFactory _emulator = new();
    private KestrelApi? _api;
    private IHost? _worker;
    private IPlaywright? _playwright;

    protected abstract bool RunWorker { get; }

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public JobStore Store => _api!.Services.GetRequiredService<JobStore>();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing ({ChromiumPath}). The browser tests need it: run `eng/prerequisites.sh --browser` (apt-get install chromium).");
        }
        await _redis.InitializeAsync();
        _api = new KestrelApi(_redis);
        _api.UseKestrel(0);
        _api.StartServer();
        var addresses = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };

        if (RunWorker)
        {
            _worker = BuildWorker();
            await _worker.StartAsync();
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => PageErrors.Add(error);
        // A resource the Content-Security-Policy refuses breaks a page without any script error.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                PageErrors.Add($"{message.Text} ({message.Location})");
            }
        };
        return page;
    }

    /// <summary>Uncaught script errors and Content-Security-Policy violations of any page (a broken module or a
    /// refused script would otherwise fail silently).</summary>
    public List<string> PageErrors { get; } = [];

    /// <summary>The api's open event streams.</summary>
    public EventStreams EventStreams => _api!.EventStreams;

    /// <summary>Every model of the emulator now takes <paramref name="timeToFirstToken"/> to answer.</summary>
    public Task SlowModelsAsync(TimeSpan timeToFirstToken) => SetModelSpeedAsync(timeToFirstToken, tokensPerSecond: null);

    /// <summary>Every model answers after <paramref name="timeToFirstToken"/>, then streams at the given speed (if any).</summary>
    public async Task SetModelSpeedAsync(TimeSpan timeToFirstToken, double? tokensPerSecond)
    {
        using var emulator = _emulator.CreateClient();
        var profiles = await emulator.GetFromJsonAsync<JsonObject>("/admin/profiles");
        foreach (var (model, profile) in profiles!.Where(p => p.Key != "default"))
        {
            profile!["timeToFirstTokenMs"] = (int)timeToFirstToken.TotalMilliseconds;
            if (tokensPerSecond is { } speed)
            {
                profile["tokensPerSecond"] = speed;
            }
            using var put = await emulator.PutAsJsonAsync($"/admin/profiles/{model}", profile);
            put.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Every model of the emulator now answers HTTP 500 (a provider outage).</summary>
    public async Task FailModelsAsync()
    {
        using var emulator = _emulator.CreateClient();
        var profiles = await emulator.GetFromJsonAsync<JsonObject>("/admin/profiles");
        foreach (var (model, profile) in profiles!.Where(p => p.Key != "default"))
        {
            profile!["http500Rate"] = 1.0;
            using var put = await emulator.PutAsJsonAsync($"/admin/profiles/{model}", profile);
            put.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Back to the instant profiles of the configuration.</summary>
    public async Task ResetModelsAsync()
    {
        using var emulator = _emulator.CreateClient();
        using var reset = await emulator.DeleteAsync("/admin/profiles");
        reset.EnsureSuccessStatusCode();
    }

    /// <summary>Polls the api until the job is in one of <paramref name="statuses"/> (a generous limit, no timing).</summary>
    public async Task<JsonObject> WaitForJobAsync(string id, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var job = (await Http.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}"))!;
            if (statuses.Contains((string?)job["status"]))
            {
                return job;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job {id} did not become {string.Join(" or ", statuses)}: {job.ToJsonString()}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Posts a research job for the shipped sample profile, its business name made unique so that no test is
    /// served from another's stage cache (a cached stage never shows "running"); answers its id.</summary>
    public async Task<string> CreateResearchJobAsync()
    {
        var samples = await Http.GetFromJsonAsync<JsonArray>("/api/samples");
        var profile = samples![0]!["profile"]!.AsObject();
        profile["business_name"] = $"{profile["business_name"]} {Interlocked.Increment(ref _jobs)}";
        var response = await Http.PostAsJsonAsync("/api/jobs", new { kind = "research", profile });
        response.EnsureSuccessStatusCode();
        return response.Headers.Location!.ToString().Split('/')[^1];
    }

    private static int _jobs;

    public static string ScreenshotPath(string name)
    {
        var folder = RepositoryPaths.Artifacts("screenshots");
        return Path.Combine(folder, $"{name}.png");
    }

    private IHost BuildWorker()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["Emulator:BaseUrl"] = "http://emulator.test",
            ["Worker:ClaimIdleAfter"] = "00:00:01",
            ["Worker:PollInterval"] = "00:00:00.100",
            ["ModelResilience:RetryDelay"] = "00:00:00.010",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMarketIntelDefaults();
        builder.AddMarketIntelStorage();
        builder.AddMarketIntelWorker();
        builder.Services.AddHttpClient(ModelClientRegistration.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => _emulator.Server.CreateHandler());
        return builder.Build();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }
        Http?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
        await _emulator.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

/// <summary>With a worker: jobs run through the pipeline on the emulator.</summary>
public sealed class RunningApp : WebApp
{
    protected override bool RunWorker => true;
}

/// <summary>Without a worker: jobs stay where the test puts them (seeded through JobStore).</summary>
public sealed class SeededApp : WebApp
{
    protected override bool RunWorker => false;
}
