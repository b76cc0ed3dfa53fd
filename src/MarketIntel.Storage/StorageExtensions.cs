using MarketIntel.Pipeline.Evaluation;
using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Routing;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Storage;

public static class StorageExtensions
{
    /// <summary>Connection name of Redis, the same in the AppHost, the api and the worker.</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>
    /// Shared defaults (model catalogue, Phase 0 routing) shipped beside the binaries, below appsettings so a deployment
    /// can override any of them.
    /// </summary>
    public static IHostApplicationBuilder AddMarketIntelDefaults(this IHostApplicationBuilder builder)
    {
        // Inserted first so every later source (appsettings, environment, command line) wins.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "marketintel.defaults.json",
            Optional = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });

        builder.Services.AddOptions<ModelCatalogOptions>()
            .Bind(builder.Configuration.GetSection(ModelCatalogOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Catalog.All(m => IsValid(m) && IsValid(m.Throughput)),
                "Every model in the catalogue needs an id, a provider, a context window, prices and throughput in range.")
            .Validate(o => o.Catalog.Select(m => m.Id).Distinct().Count() == o.Catalog.Count, "Model ids must be unique.")
            .ValidateOnStart();
        builder.Services.AddOptions<RoutingOptions>()
            .Bind(builder.Configuration.GetSection(RoutingOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Stages.Values.All(IsValid), "Every stage route needs a stable model and values in range.")
            .ValidateOnStart();
        builder.Services.AddOptions<EvaluationGates>()
            .Bind(builder.Configuration.GetSection(EvaluationGates.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    private static bool IsValid(object value) =>
        Validator.TryValidateObject(value, new ValidationContext(value), null, validateAllProperties: true);

    /// <summary>Redis (through the Aspire client integration: health check, telemetry) and the stores built on it.</summary>
    public static IHostApplicationBuilder AddMarketIntelStorage(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(RedisConnectionName, configureOptions: options =>
        {
            // Keep retrying in the background when Redis restarts instead of failing the process.
            options.AbortOnConnectFail = false;
            options.ConnectRetry = 5;
            // Fail fast while Redis is down (the api answers 503, the worker retries) instead of holding requests for the
            // library's default 5 s per command; commands queued during a reconnect wait at most this long.
            options.ConnectTimeout = 3000;
            options.SyncTimeout = 3000;
            options.AsyncTimeout = 3000;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<StageCache>();
        builder.Services.AddSingleton<RoutingMetrics>();
        builder.Services.AddSingleton<RoutingStore>();
        builder.Services.AddSingleton<EvaluationStore>();
        builder.Services.AddSingleton<SpendStore>();
        builder.Services.AddSingleton<ServingStore>();
        builder.Services.AddOptions<BudgetOptions>()
            .Bind(builder.Configuration.GetSection(BudgetOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
