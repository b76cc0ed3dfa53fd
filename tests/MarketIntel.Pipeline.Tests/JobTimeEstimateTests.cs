using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Models;

namespace MarketIntel.Pipeline.Tests;

public class JobTimeEstimateTests
{
    private static readonly ModelThroughput Llama = new() { FirstTokenSeconds = 1, TokensPerSecond = 40 };

    [Fact]
    public void A_pending_stage_takes_its_first_token_and_half_its_budget_at_the_usual_speed()
    {
        Assert.Equal(TimeSpan.FromSeconds(1 + 2000 / 40.0), JobTimeEstimate.StageRemaining(new StageWork(2, false, Llama, 4000)));
    }

    [Fact]
    public void A_streaming_stage_has_only_its_rest_left_and_never_less_than_a_quarter_more_than_it_wrote()
    {
        Assert.Equal(TimeSpan.FromSeconds(1000 / 40.0), JobTimeEstimate.StageRemaining(new StageWork(2, false, Llama, 4000, TokensSoFar: 1000)));
        Assert.Equal(TimeSpan.FromSeconds(750 / 40.0), JobTimeEstimate.StageRemaining(new StageWork(2, false, Llama, 4000, TokensSoFar: 3000)));
        Assert.Equal(TimeSpan.Zero, JobTimeEstimate.StageRemaining(new StageWork(2, false, Llama, 4000, TokensSoFar: 4000)));
    }

    [Fact]
    public void The_job_needs_its_longest_remaining_chain_not_the_sum_of_its_stages()
    {
        // Stages 1-5 done; 6 (report) and the offer stages 7-13 remain. 6 reads only 1-5, so it runs beside 7-13.
        var work = Enumerable.Range(1, 13).Select(n => new StageWork(n, n <= 5, Llama, n == 6 ? 12000 : 2000)).ToList();

        var remaining = JobTimeEstimate.Remaining(work);

        var sum = work.Sum(w => JobTimeEstimate.StageRemaining(w).TotalSeconds);
        var report = JobTimeEstimate.StageRemaining(work[5]);
        Assert.True(remaining >= report);
        Assert.True(remaining.TotalSeconds < sum);
        Assert.Equal(TimeSpan.Zero, JobTimeEstimate.Remaining(work.Select(w => w with { Done = true })));
    }
}
