using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MarketIntel.AppHost.Tests;

/// <summary>
/// The whole distributed app (redis-server, model emulator, two workers, api) started through the real AppHost with
/// Aspire.Hosting.Testing, on a fresh Redis data folder and with the emulator's latency at zero.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("marketintel-apphost-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MarketIntel_AppHost>(
        [
            $"MarketIntel:RedisDataDirectory={_dataDirectory}",
            "MarketIntel:Redis=executable",
            "MarketIntel:EmulatorLatencyScale=0",
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        App = await builder.BuildAsync();
        using var start = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(start.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api", start.Token);
        Api = App.CreateHttpClient("api");
        Redis = await ConnectionMultiplexer.ConnectAsync(await App.GetConnectionStringAsync("redis", start.Token)
            ?? throw new InvalidOperationException("No Redis connection string."));
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left-over temp data is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
