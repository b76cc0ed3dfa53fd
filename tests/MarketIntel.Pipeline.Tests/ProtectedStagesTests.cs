using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Pipeline.Tests;

/// <summary>Which stages a whole-document routing change touches under protection (issue 16, "protected means protected").</summary>
public class ProtectedStagesTests
{
    private static readonly RoutingDocument Before = new()
    {
        Version = 3,
        Stages = new()
        {
            [2] = new StageRoute { Stable = "a" },
            [4] = new StageRoute { Stable = "a", Candidate = "b", CandidateShare = 10, Protected = true },
        },
    };

    [Fact]
    public void A_change_that_leaves_the_protected_stage_as_it_is_touches_nothing_protected()
    {
        var after = Before with { Version = 4, Stages = new(Before.Stages) { [2] = new StageRoute { Stable = "b" } } };

        Assert.Empty(ProtectedStages.Changed(Before, after));
    }

    [Fact]
    public void Removing_the_candidate_share_of_a_protected_stage_changes_it()
    {
        var after = Before with { Stages = new(Before.Stages) { [4] = Before.For(4) with { CandidateShare = 0 } } };

        Assert.Equal([4], ProtectedStages.Changed(Before, after));
    }

    [Fact]
    public void Protecting_a_stage_or_lifting_its_protection_changes_a_protected_stage()
    {
        var after = Before with
        {
            Stages = new(Before.Stages) { [2] = Before.For(2) with { Protected = true }, [4] = Before.For(4) with { Protected = false } },
        };

        Assert.Equal([2, 4], ProtectedStages.Changed(Before, after));
    }

    [Theory]
    [InlineData(true, "Isolated test passed", true)]
    [InlineData(true, " ", false)]
    [InlineData(true, null, false)]
    [InlineData(false, "Isolated test passed", false)]
    public void An_approval_counts_only_with_a_reason(bool approved, string? reason, bool expected) =>
        Assert.Equal(expected, ProtectedStages.IsApproved(approved, reason));
}
