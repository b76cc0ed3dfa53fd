using System.ClientModel;
using System.ClientModel.Primitives;
using System.Threading.RateLimiting;
using MarketIntel.Pipeline.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Registers one keyed <see cref="IChatClient"/> per catalogue model (key = model id), each an OpenAI-compatible client
/// built with <see cref="ChatClientBuilder"/>: resilience, then OpenTelemetry and logging around every provider call.
/// Workers AI is reached through its OpenAI-compatible endpoint; without credentials the emulator serves the same path.
/// </summary>
public static class ModelClientRegistration
{
    public const string HttpClientName = "models";

    private const string WorkersAiBaseUrl = "https://api.cloudflare.com/client/v4/accounts/{0}/ai/v1";

    /// <summary>The emulator answers on the Workers AI path shape, so the same request code runs offline.</summary>
    private const string EmulatorPath = "/client/v4/accounts/emulator/ai/v1";

    public static IHostApplicationBuilder AddModelClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ModelResilienceOptions>().BindConfiguration(ModelResilienceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Resilience lives in ResilientChatClient, per model; the default HTTP handler would retry a second time.
#pragma warning disable EXTEXP0001 // Experimental, but the documented way to opt one client out of the defaults.
        builder.Services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        var catalog = builder.Configuration.GetSection(ModelCatalogOptions.SectionName).Get<ModelCatalogOptions>() ?? new();
        var limiters = new Dictionary<string, RateLimiter>(StringComparer.Ordinal);
        foreach (var model in catalog.Catalog)
        {
            var providerOptions = builder.Configuration.GetSection($"{ProviderOptions.SectionName}:{model.Provider}").Get<ProviderOptions>() ?? new();
            if (!limiters.TryGetValue(model.Provider, out var limiter))
            {
                limiters[model.Provider] = limiter = CreateRateLimiter(providerOptions.RequestsPerMinute);
            }

            builder.Services.AddKeyedChatClient(model.Id, services => CreateProviderClient(services, model, providerOptions))
                .Use((inner, services) => new ResilientChatClient(
                    inner, model.Id, limiter, services.GetRequiredService<IOptions<ModelResilienceOptions>>().Value, services.GetRequiredService<TimeProvider>()))
                .UseOpenTelemetry(configure: telemetry => telemetry.EnableSensitiveData = false)
                .UseLogging();
        }
        return builder;
    }

    private static IChatClient CreateProviderClient(IServiceProvider services, ModelSpec model, ProviderOptions provider)
    {
        var (endpoint, token) = provider switch
        {
            { IsWorkersAi: true } => (new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, WorkersAiBaseUrl, Uri.EscapeDataString(provider.AccountId!))), provider.ApiToken!),
            { BaseUrl: { Length: > 0 } baseUrl } => (new Uri(baseUrl), string.IsNullOrEmpty(provider.ApiToken) ? "none" : provider.ApiToken),
            _ => (new Uri(services.GetRequiredService<IOptions<EmulatorOptions>>().Value.BaseUrl.TrimEnd('/') + EmulatorPath), "emulator"),
        };

        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        var client = new OpenAIClient(new ApiKeyCredential(token), new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(httpClient),
            // Retries belong to ResilientChatClient; the SDK's own would multiply them.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        });
        return client.GetChatClient(model.Id).AsIChatClient();
    }

    /// <summary>Requests per minute across all models of a provider; excess calls queue rather than fail.</summary>
    private static RateLimiter CreateRateLimiter(int requestsPerMinute) =>
        new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = requestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
}
