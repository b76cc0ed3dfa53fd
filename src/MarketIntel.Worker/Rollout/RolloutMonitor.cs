using MarketIntel.Pipeline.Rollout;
using MarketIntel.Storage.Rollout;
using Microsoft.Extensions.Options;

namespace MarketIntel.Worker.Rollout;

/// <summary>
/// Runs <see cref="PhaseService.TickAsync"/> every <c>Rollout:MonitorInterval</c> (default 30 s): canary analysis with
/// automatic rollback, promotion after the soak period, completion. The interval is measured on the injected
/// <see cref="TimeProvider"/>; a Redis lock keeps two workers from ticking at once.
/// </summary>
public sealed class RolloutMonitor(PhaseService phases, IOptionsMonitor<RolloutOptions> options, TimeProvider time, ILogger<RolloutMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurrentValue.MonitorInterval, time, stoppingToken);
                await phases.TickAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Rollout monitor tick failed; the next tick tries again");
            }
        }
    }
}
