using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Samples;

namespace MarketIntel.Pipeline.Tests;

public class SampleSuiteTests
{
    public static TheoryData<string> SampleIds()
    {
        var data = new TheoryData<string>();
        foreach (var sample in SampleSuite.LoadAll())
        {
            data.Add(sample.Id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void Every_sample_passes_the_profile_and_preference_rules(string id)
    {
        var sample = SampleSuite.Get(id);

        Assert.False(string.IsNullOrWhiteSpace(sample.Name));
        Assert.Empty(sample.Profile.Validate().ToDictionary());
        Assert.Empty(sample.Preferences.Validate().ToDictionary());
        Assert.Empty(sample.Profile.QualityHints());
    }

    [Fact]
    public void The_samples_cover_every_market_category()
    {
        var samples = SampleSuite.LoadAll();

        Assert.True(samples.Count >= 3, $"expected at least three samples, found {samples.Count}");
        Assert.Equal(
            BusinessProfile.MarketCategories.Order(),
            samples.Select(s => s.Profile.PreferredMarketCategory).Distinct().Order());
        Assert.Equal(samples.Count, samples.Select(s => s.Profile.BusinessName).Distinct().Count());
    }
}
