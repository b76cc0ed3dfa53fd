using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarketIntel.ModelEmulator;

internal static class EmulatorServiceCollectionExtensions
{
    public static IServiceCollection AddModelEmulator(this IServiceCollection services)
    {
        services.AddOptions<EmulatorOptions>()
            .BindConfiguration(EmulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProfileStore>();
        services.AddSingleton<EmulatorStats>();
        services.AddSingleton<EmulatorRandom>();
        services.AddSingleton<ChatEmulator>();
        services.AddProblemDetails();
        return services;
    }
}
