using MarketIntel.Storage.Rollout;
using MarketIntel.Worker.Evaluation;
using MarketIntel.Worker.Jobs;
using MarketIntel.Worker.Models;
using MarketIntel.Worker.Rollout;
using MarketIntel.Worker.Stages;

namespace MarketIntel.Worker;

public static class WorkerExtensions
{
    public static IHostApplicationBuilder AddMarketIntelWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<StageRunnerOptions>().BindConfiguration(StageRunnerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.AddModelClients();
        builder.Services.AddSingleton<PipelineTelemetry>();
        builder.Services.AddSingleton<StageRunner>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddOptions<EvaluationRunnerOptions>().BindConfiguration(EvaluationRunnerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EvaluationRunner>();
        builder.Services.AddHostedService<JobQueueConsumer>();
        builder.Services.AddHostedService<QueueDepthSampler>();
        builder.AddMarketIntelRollout();
        builder.Services.AddHostedService<RolloutMonitor>();
        return builder;
    }
}
