using System.Net.Http.Json;
using System.Text.Json.Nodes;
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

    /// <summary>Changes the emulated profile of <paramref name="model"/> at run time (every configured model when null).</summary>
    public async Task ChangeProfileAsync(string? model, Action<JsonObject> change)
    {
        using var admin = CreateClient();
        var profiles = (await admin.GetFromJsonAsync<JsonObject>("/admin/profiles"))!;
        foreach (var (name, profile) in profiles.Where(p => model is null ? p.Key != "default" : p.Key == model))
        {
            change(profile!.AsObject());
            (await admin.PutAsJsonAsync($"/admin/profiles/{name}", profile)).EnsureSuccessStatusCode();
        }
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
    public static JobRecord Full(SampleProfile? sample = null) => Of(JobKind.Full, sample);

    /// <summary>A research job (stages 1-6, or the given ones) for <paramref name="sample"/>, numbered like <see cref="Full"/>.</summary>
    public static JobRecord Research(SampleProfile? sample = null, IReadOnlyList<int>? stages = null) => Of(JobKind.Research, sample, stages);

    private static JobRecord Of(JobKind kind, SampleProfile? sample, IReadOnlyList<int>? stages = null)
    {
        sample ??= SampleSuite.Get("wealth-executive-coaching");
        return new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = kind,
            Profile = sample.Profile with { BusinessName = $"{sample.Profile.BusinessName} #{Interlocked.Increment(ref _counter)}" },
            Preferences = kind == JobKind.Research ? null : sample.Preferences,
            CreatedAt = DateTimeOffset.UtcNow,
            Stages = stages ?? JobKinds.StagesOf(kind),
        };
    }
}
