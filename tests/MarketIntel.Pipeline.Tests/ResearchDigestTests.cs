using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Tests;

public class ResearchDigestTests
{
    [Fact]
    public void The_condensed_digest_of_a_full_research_stays_under_850_tokens()
    {
        var digest = ResearchDigest.Condensed(ResearchSamples.Input(5));

        Assert.True(ContextBudget.EstimateTokens(digest.Length) < ResearchDigest.MaxTokens,
            $"{digest.Length} chars = {ContextBudget.EstimateTokens(digest.Length)} tokens:\n{digest}");
    }

    [Fact]
    public void The_condensed_digest_reads_every_block_from_the_nested_records()
    {
        var digest = ResearchDigest.Condensed(ResearchSamples.Input(5));

        Assert.DoesNotContain("N/A", digest);
        Assert.DoesNotContain("none recorded", digest);
        Assert.DoesNotContain("...", digest);
        foreach (var expected in new[]
        {
            "MARKET CONTEXT", "11.2% annually", "POWER 4%", "$48,000", "$240,000",
            "TOP FEARS", "Being permanently stuck below director (9/10)",
            "TOP DESIRES", "I want my title to match the work I already do.",
            "BUYER LANGUAGE", "\"I'm doing the job but not getting the title\"",
            "TOP PAIN POINTS", "Promotion feedback is vague",
            "PRICE JUSTIFICATION", "COMPETITIVE LANDSCAPE", "UVP: We help senior women in tech",
            "AVATAR", "Maya Chen (38, $310,000), Seattle", "Price sensitivity: medium", "Tuesday 7-8 am PT on LinkedIn",
            "Rands Leadership Slack on Slack (20,000 members)",
            "EXISTING OFFER", "The Leadership Breakthrough Accelerator - recommended tier Signature Accelerator: $25,000",
        })
        {
            Assert.Contains(expected, digest);
        }
    }

    [Fact]
    public void Very_long_values_are_clipped_so_the_digest_still_fits()
    {
        var verbose = ResearchSamples.Outputs(5).ToDictionary(p => p.Key, p => TestData.Verbose(p.Value, 20));

        var digest = ResearchDigest.Condensed(TestData.Input(verbose));

        Assert.True(ContextBudget.EstimateTokens(digest.Length) < ResearchDigest.MaxTokens,
            $"{digest.Length} chars = {ContextBudget.EstimateTokens(digest.Length)} tokens");
        Assert.Contains("…", digest);
    }

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("one two three four five", 12, "one two…")]
    [InlineData("  spaced\n\tout  ", 20, "spaced out")]
    [InlineData("", 10, "none recorded")]
    public void Clip_cuts_at_a_word_boundary(string value, int max, string expected) =>
        Assert.Equal(expected, ResearchDigest.Clip(value, max));

    [Fact]
    public void The_full_digest_holds_all_five_outputs()
    {
        var full = ResearchDigest.Full(ResearchSamples.Input(5));

        Assert.Equal(
            ["stage1_market_analysis", "stage2_buyer_psychology", "stage3_competitive_analysis", "stage4_avatar_creation", "stage5_offer_design"],
            full.Select(p => p.Key));
        Assert.Equal("Maya Chen", full["stage4_avatar_creation"]!["avatar_name"]!.GetValue<string>());
        Assert.Equal(15, full["stage5_offer_design"]!["marketing_messages"]!.AsArray().Count);
    }
}
