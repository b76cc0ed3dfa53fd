using System.ClientModel;
using System.ClientModel.Primitives;
using MarketIntel.Pipeline.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using StackExchange.Redis;

namespace MarketIntel.Worker.Models;

/// <summary>
/// Registers one keyed <see cref="IChatClient"/> per catalogue model (key = model id), each an OpenAI-compatible client
/// built with <see cref="ChatClientBuilder"/>: budgets and spend, then resilience, then OpenTelemetry and logging around
/// every provider call.
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
        var providers = catalog.Catalog.Select(m => m.Provider).Distinct(StringComparer.Ordinal)
            .ToDictionary(p => p, p => ReadProvider(builder.Configuration, p), StringComparer.Ordinal);
        var serving = new ModelServing(catalog.Catalog.ToDictionary(
            m => m.Id, m => providers[m.Provider].ServedByEmulator ? ModelServing.Emulator : m.Provider, StringComparer.Ordinal));
        builder.Services.AddSingleton(serving);
        builder.Services.AddHostedService<ModelServingReport>();

        builder.Services.AddSingleton(services => new ProviderRateLimiters(
            services.GetRequiredService<IConnectionMultiplexer>(),
            providers.ToDictionary(p => p.Key, p => p.Value.RequestsPerMinute, StringComparer.Ordinal),
            services.GetRequiredService<TimeProvider>()));
        foreach (var model in catalog.Catalog)
        {
            var providerOptions = providers[model.Provider];
            builder.Services.AddKeyedChatClient(model.Id, services => CreateProviderClient(services, model, providerOptions))
                .Use((inner, services) => new BudgetChatClient(inner, model, services))
                .Use((inner, services) => new ResilientChatClient(
                    inner, model.Id, services.GetRequiredService<ProviderRateLimiters>().For(model.Provider),
                    services.GetRequiredService<IOptions<ModelResilienceOptions>>().Value, services.GetRequiredService<TimeProvider>()))
                .UseOpenTelemetry(configure: telemetry => telemetry.EnableSensitiveData = false)
                .UseLogging();
        }
        return builder;
    }

    /// <summary>A provider's settings, checked now: a half-configured provider stops the service at start.</summary>
    private static ProviderOptions ReadProvider(IConfiguration configuration, string name)
    {
        var options = configuration.GetSection($"{ProviderOptions.SectionName}:{name}").Get<ProviderOptions>() ?? new();
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);
        var problems = results.Select(r => $"Provider '{name}': {r.ErrorMessage}").Concat(options.Problems(name)).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException($"{ProviderOptions.SectionName}:{name}", typeof(ProviderOptions), problems);
        }
        return options;
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
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(httpClient),
            // Retries belong to ResilientChatClient; the SDK's own would multiply them.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Streams are watched by ResilientChatClient's first-token, idle and total limits instead.
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        if (provider.MaxTokensParameter != ProviderOptions.MaxCompletionTokensField)
        {
            clientOptions.AddPolicy(new MaxTokensDialectPolicy(provider.MaxTokensParameter), PipelinePosition.PerCall);
        }
        var client = new OpenAIClient(new ApiKeyCredential(token), clientOptions);
        return client.GetChatClient(model.Id).AsIChatClient();
    }
}
