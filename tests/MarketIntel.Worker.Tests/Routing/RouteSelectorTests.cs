using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Worker.Tests.Routing;

/// <summary>The candidate share of a stage route: sticky per job, and close to the configured share over many jobs.</summary>
public sealed class RouteSelectorTests
{
    private const string Stable = "@cf/meta/llama-3.1-70b-instruct";
    private const string Candidate = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";

    /// <summary>Job ids in the api's format (32 lowercase hex digits), reproducible from a seed.</summary>
    private static List<string> JobIds(int count, int seed = 42)
    {
        var random = new Random(seed);
        var bytes = new byte[16];
        return Enumerable.Range(0, count).Select(_ =>
        {
            random.NextBytes(bytes);
            return new Guid(bytes).ToString("N");
        }).ToList();
    }

    private static StageRoute Route(int share, string? candidate = Candidate) =>
        new() { Stable = Stable, Candidate = candidate, CandidateShare = share };

    [Fact]
    public void The_same_job_gets_the_same_choice_every_time()
    {
        var route = Route(50);
        foreach (var job in JobIds(500))
        {
            var first = RouteSelector.Choose(route, job, stage: 2);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(first, RouteSelector.Choose(route, job, stage: 2));
            }
            Assert.Equal(RouteSelector.Bucket(job, 2), RouteSelector.Bucket(job, 2));
        }
    }

    [Fact]
    public void A_job_in_the_candidate_share_stays_in_it_when_the_share_grows()
    {
        var jobs = JobIds(2000);
        var at10 = jobs.Where(j => RouteSelector.Choose(Route(10), j, 1).Kind == RouteKind.Candidate).ToList();
        var at50 = jobs.Where(j => RouteSelector.Choose(Route(50), j, 1).Kind == RouteKind.Candidate).ToHashSet();

        Assert.All(at10, job => Assert.Contains(job, at50));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(90)]
    public void The_candidate_share_over_10000_jobs_is_within_2_points_of_the_configured_share(int share)
    {
        var route = Route(share);
        var jobs = JobIds(10_000);

        var candidates = jobs.Count(job => RouteSelector.Choose(route, job, stage: 1) == (Candidate, RouteKind.Candidate));
        var stables = jobs.Count(job => RouteSelector.Choose(route, job, stage: 1) == (Stable, RouteKind.Stable));

        Assert.Equal(10_000, candidates + stables);
        Assert.InRange(candidates / 100.0, share - 2.0, share + 2.0);
    }

    [Fact]
    public void Buckets_are_in_0_to_99()
    {
        Assert.All(JobIds(1000), job => Assert.InRange(RouteSelector.Bucket(job, 7), 0, 99));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(0, Candidate)]
    [InlineData(100, null)]
    [InlineData(100, "")]
    public void Without_a_candidate_or_a_share_every_job_gets_the_stable_model(int share, string? candidate)
    {
        Assert.All(JobIds(500), job => Assert.Equal((Stable, RouteKind.Stable), RouteSelector.Choose(Route(share, candidate), job, 3)));
    }

    [Fact]
    public void A_share_of_100_sends_every_job_to_the_candidate()
    {
        Assert.All(JobIds(500), job => Assert.Equal((Candidate, RouteKind.Candidate), RouteSelector.Choose(Route(100), job, 3)));
    }
}
