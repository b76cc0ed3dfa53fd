using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Rollout;
using MarketIntel.Pipeline.Stages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MarketIntel.Storage.Rollout;

public static class RolloutExtensions
{
    /// <summary>The rollout plan (section <c>Rollout</c>, validated on start), live metrics, phase states and verdicts.</summary>
    public static IHostApplicationBuilder AddMarketIntelRollout(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RolloutOptions>()
            .Bind(builder.Configuration.GetSection(RolloutOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RolloutOptions>, RolloutOptionsValidator>();
        builder.Services.AddSingleton<LiveMetrics>();
        builder.Services.AddSingleton<PhaseStateStore>();
        builder.Services.AddSingleton<RedisEvaluationVerdicts>();
        builder.Services.AddSingleton<IEvaluationVerdicts>(sp => sp.GetRequiredService<RedisEvaluationVerdicts>());
        builder.Services.AddSingleton<PhaseService>();
        return builder;
    }

    private sealed class RolloutOptionsValidator(IOptions<ModelCatalogOptions> catalog) : IValidateOptions<RolloutOptions>
    {
        public ValidateOptionsResult Validate(string? name, RolloutOptions options)
        {
            var problems = options.Problems(id => catalog.Value.Find(id) is not null, StageCatalog.Exists).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
