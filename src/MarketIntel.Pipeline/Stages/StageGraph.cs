namespace MarketIntel.Pipeline.Stages;

/// <summary>
/// The DAG of stages, derived from what each stage reads: a stage is ready once every stage it reads has finished.
/// Stages outside the job's set (e.g. research stages of an offer job) count as given.
/// </summary>
public static class StageGraph
{
    public static IReadOnlyList<int> Ready(IReadOnlyCollection<int> jobStages, IReadOnlySet<int> finished, IReadOnlySet<int> running) =>
        jobStages
            .Where(n => !finished.Contains(n) && !running.Contains(n))
            .Where(n => StageCatalog.Get(n).Reads.All(r => finished.Contains(r) || !jobStages.Contains(r)))
            .Order()
            .ToList();

    /// <summary>Every stage that reads <paramref name="stage"/>, directly or through others.</summary>
    public static IReadOnlySet<int> Downstream(int stage)
    {
        var result = new SortedSet<int>();
        var frontier = new Queue<int>([stage]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var reader in StageCatalog.All.Where(s => s.Reads.Contains(current)).Select(s => s.Number))
            {
                if (result.Add(reader))
                {
                    frontier.Enqueue(reader);
                }
            }
        }
        return result;
    }

    /// <summary>The longest chain of <paramref name="durations"/> through the DAG: the least wall time possible.</summary>
    public static TimeSpan CriticalPath(IReadOnlyDictionary<int, TimeSpan> durations)
    {
        var finish = new Dictionary<int, TimeSpan>();
        foreach (var n in durations.Keys.Order())
        {
            var start = StageCatalog.Get(n).Reads.Where(finish.ContainsKey).Select(r => finish[r]).DefaultIfEmpty(TimeSpan.Zero).Max();
            finish[n] = start + durations[n];
        }
        return finish.Values.DefaultIfEmpty(TimeSpan.Zero).Max();
    }
}
