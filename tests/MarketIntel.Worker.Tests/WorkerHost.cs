using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Storage;
using MarketIntel.Testing;
using MarketIntel.Worker.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// The in-process model emulator, at zero latency unless told otherwise: the same HTTP path as Workers AI, no network. (Any public type of the
/// emulator assembly serves as the entry-point marker; <c>Program</c> is ambiguous beside the worker.)
/// </summary>
public sealed class EmulatorFactory(double latencyScale = 0) : WebApplicationFactory<MarketIntel.ModelEmulator.EmulatorOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Emulator:LatencyScale", latencyScale.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseEnvironment("Testing");
    }
}

/// <summary>
/// Builds a real worker host (consumer, DAG runner, stage runner, keyed model clients) against a real Redis, whose model
/// calls reach the in-process emulator.
/// </summary>
internal static class WorkerHost
{
    public static IHost Build(RedisServer redis, WebApplicationFactory<MarketIntel.ModelEmulator.EmulatorOptions> emulator, IDictionary<string, string?>? settings = null, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Emulator:BaseUrl"] = "http://emulator.test",
            ["Worker:ClaimIdleAfter"] = "00:00:01",
            ["Worker:PollInterval"] = "00:00:00.100",
            ["ModelResilience:RetryDelay"] = "00:00:00.010",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMarketIntelDefaults();
        builder.AddMarketIntelStorage();
        builder.AddMarketIntelWorker();
        builder.Services.AddHttpClient(ModelClientRegistration.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => emulator.Server.CreateHandler());
        configure?.Invoke(builder);
        return builder.Build();
    }
}

/// <summary>A test class with its own real Redis and in-process emulator, started and stopped around it.</summary>
public abstract class RedisAndEmulatorTest : IAsyncLifetime
{
    protected RedisServer Redis { get; } = new();

    protected EmulatorFactory Emulator { get; } = new();

    public Task InitializeAsync() => Redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Emulator.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>Jobs for tests.</summary>
internal static class TestJobs
{
    private static int _counter;

    /// <summary>A full job (stages 1-13) for <paramref name="sample"/> (the wealth sample when none is given). The business
    /// name is numbered, so the stage cache answers nothing and every stage calls a model.</summary>
    public static JobRecord Full(SampleProfile? sample = null)
    {
        sample ??= SampleSuite.Get("wealth-executive-coaching");
        return new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = JobKind.Full,
            Profile = sample.Profile with { BusinessName = $"{sample.Profile.BusinessName} #{Interlocked.Increment(ref _counter)}" },
            Preferences = sample.Preferences,
            CreatedAt = DateTimeOffset.UtcNow,
            Stages = JobKinds.StagesOf(JobKind.Full),
        };
    }
}
