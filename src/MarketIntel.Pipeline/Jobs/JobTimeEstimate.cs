using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Pipeline.Jobs;

/// <summary>Where one stage of a job stands, as much as an estimate needs.</summary>
/// <param name="Done">Finished, failed, skipped or cancelled: nothing left to wait for.</param>
/// <param name="TokensSoFar">Output tokens streamed so far by a running call (0 before its first token).</param>
public sealed record StageWork(int Stage, bool Done, ModelThroughput Speed, int MaxTokens, long TokensSoFar = 0);

/// <summary>
/// How long a job still needs, from the catalogue's usual speeds and what remains on the DAG's critical path
/// (docs/real-speed.md). An answer usually takes about half its output budget; a stage already past that is expected
/// to write a quarter more than it has.
/// </summary>
public static class JobTimeEstimate
{
    public const double TypicalBudgetShare = 0.5;

    public static TimeSpan StageRemaining(StageWork work)
    {
        if (work.Done)
        {
            return TimeSpan.Zero;
        }
        var expected = Math.Min(work.MaxTokens, Math.Max(work.MaxTokens * TypicalBudgetShare, work.TokensSoFar * 1.25));
        var firstToken = work.TokensSoFar > 0 ? 0 : work.Speed.FirstTokenSeconds;
        return TimeSpan.FromSeconds(firstToken + Math.Max(0, expected - work.TokensSoFar) / work.Speed.TokensPerSecond);
    }

    public static TimeSpan Remaining(IEnumerable<StageWork> stages) =>
        StageGraph.CriticalPath(stages.ToDictionary(s => s.Stage, StageRemaining));
}
