namespace MarketIntel.Worker.Models;

/// <summary>
/// Who answers each catalogue model in this process: its provider (e.g. <c>workers-ai</c>) or the model emulator, when
/// the provider has no credentials. Recorded on every attempt and announced at start, so no job runs on the emulator
/// unnoticed.
/// </summary>
public sealed class ModelServing(IReadOnlyDictionary<string, string> servedBy)
{
    public const string Emulator = MarketIntel.Storage.ServingStore.Emulator;

    public string For(string modelId) => servedBy.TryGetValue(modelId, out var provider) ? provider : Emulator;

    public IReadOnlyDictionary<string, string> All => servedBy;

    public bool AnyEmulated => servedBy.Values.Contains(Emulator);
}

/// <summary>Says once, at start, which models the emulator answers, and publishes it for the pages.</summary>
internal sealed class ModelServingReport(ModelServing serving, MarketIntel.Storage.ServingStore store, ILogger<ModelServingReport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var emulated = serving.All.Where(p => p.Value == ModelServing.Emulator).Select(p => p.Key).ToList();
        if (emulated.Count > 0)
        {
            logger.LogWarning(
                "No provider credentials for {Count} models ({Models}): the model emulator answers them. Answers are simulated; see README 'Pointing it at real Workers AI'.",
                emulated.Count, string.Join(", ", emulated));
        }
        try
        {
            await store.PublishAsync(serving.All);
        }
        catch (StackExchange.Redis.RedisException e)
        {
            // The pages learn it later from the attempts; a worker must not fail to start over this.
            logger.LogWarning(e, "Could not publish which provider serves each model");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
