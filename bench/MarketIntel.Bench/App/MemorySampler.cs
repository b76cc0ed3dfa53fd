namespace MarketIntel.Bench.App;

internal sealed record MemoryFigures(string Name, long MedianBytes, long PeakBytes);

/// <summary>Samples the resident memory of the api and the workers every 100 ms while a scenario runs.</summary>
internal sealed class MemorySampler(RunningApp app)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, List<double>> _samples = [];
    private Task? _sampling;

    public void Start() => _sampling = SampleAsync(_stop.Token);

    /// <summary>Per process: the median of the samples and the peak (VmHWM, the highest the kernel saw).</summary>
    public async Task<IReadOnlyList<MemoryFigures>> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling!;
        return Processes()
            .Select(p => new MemoryFigures(p.Name, (long)Percentiles.Median(_samples[p.Name]), p.PeakResidentBytes()))
            .ToList();
    }

    private IEnumerable<ServiceProcess> Processes() => app.Workers.Prepend(app.ApiProcess);

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            foreach (var process in Processes())
            {
                if (!_samples.TryGetValue(process.Name, out var list))
                {
                    _samples[process.Name] = list = [];
                }
                list.Add(process.ResidentBytes());
            }
        }
        while (await NextTickAsync(timer, stop));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
