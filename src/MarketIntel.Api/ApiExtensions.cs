using System.Text.Json.Serialization;
using MarketIntel.Api.Budgets;
using MarketIntel.Api.Catalog;
using MarketIntel.Api.Evaluations;
using MarketIntel.Api.Http;
using MarketIntel.Api.Jobs;
using MarketIntel.Api.Rollout;
using MarketIntel.Api.Routing;
using MarketIntel.Api.Samples;
using MarketIntel.Storage;
using MarketIntel.Storage.Rollout;
using Scalar.AspNetCore;

namespace MarketIntel.Api;

public static class ApiExtensions
{
    /// <summary>Hard limit of the server; JSON endpoints enforce their own, smaller one with a problem response.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    public static WebApplicationBuilder AddMarketIntelApi(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddMarketIntelDefaults();
        builder.AddMarketIntelStorage();
        builder.AddMarketIntelRollout();

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddApiRateLimits();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<Jobs.JobProgressReader>();
        builder.Services.AddAdminKey();
        return builder;
    }

    public static WebApplication MapMarketIntelApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = PageSecurityHeaders.Apply });
        app.UseRateLimiter();
        app.MapOpenApi().AddEndpointFilter(new OpenApiDocumentFilter(OpenApiDocumentFilter.DefaultDocument));
        app.MapScalarApiReference("/docs");
        app.MapDefaultEndpoints();
        app.MapJobsApi();
        app.MapModelsApi();
        app.MapRoutingApi();
        app.MapRolloutApi();
        app.MapSamplesApi();
        app.MapStageSchemasApi();
        app.MapEvaluationsApi();
        app.MapBudgetsApi();
        return app;
    }
}
