using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MarketIntel.Pipeline.Stages.AvatarCreation;

/// <summary>Stage 4 output (docs/domain.md §2.6, declared shape): one named, realistic Power-4% customer.</summary>
public sealed record AvatarCreation
{
    [Description("A realistic first and last name.")]
    public string AvatarName { get; init; } = "";

    public AvatarDemographics Demographics { get; init; } = new();

    public AvatarPsychographics Psychographics { get; init; } = new();

    public DayInLife DayInLife { get; init; } = new();

    public BuyingTriggers BuyingTriggers { get; init; } = new();

    [Description("Three real online communities where this person spends time.")]
    [Length(3, 3)]
    public IReadOnlyList<OnlineCommunity> OnlineCommunities { get; init; } = [];

    [JsonPropertyName("top_3_hopes")]
    [Length(3, 3)]
    public IReadOnlyList<string> Top3Hopes { get; init; } = [];

    [JsonPropertyName("top_3_fears")]
    [Length(3, 3)]
    public IReadOnlyList<string> Top3Fears { get; init; } = [];

    [JsonPropertyName("top_3_barriers")]
    [Length(3, 3)]
    public IReadOnlyList<AvatarBarrier> Top3Barriers { get; init; } = [];

    [Description("The tone of voice that wins this person's trust.")]
    public string RecommendedTone { get; init; } = "";

    [AllowedValues("high", "medium", "low")]
    public string PriceSensitivity { get; init; } = "";

    public string PriceSensitivityJustification { get; init; } = "";
}

public sealed record AvatarDemographics
{
    [Description("Exact age or a narrow range, e.g. \"38\" or \"36-40\".")]
    public string AgeRange { get; init; } = "";

    [Description("Household income in dollars.")]
    public string HouseholdIncome { get; init; } = "";

    [Description("City and state or country.")]
    public string GeographicLocation { get; init; } = "";

    [Description("Job title and industry.")]
    public string ProfessionIndustry { get; init; } = "";

    public string FamilyStatus { get; init; } = "";

    public string Education { get; init; } = "";
}

public sealed record AvatarPsychographics
{
    [Length(3, 6)]
    public IReadOnlyList<string> CoreValues { get; init; } = [];

    [Description("What they believe about this niche and about solutions like this one.")]
    public string BeliefsAboutNiche { get; init; } = "";

    public string DailyLifestyle { get; init; } = "";

    [Description("Specific podcasts, publications, creators and sites they follow.")]
    [Length(3, 6)]
    public IReadOnlyList<string> MediaConsumption { get; init; } = [];
}

/// <summary>A typical day told as four short narratives, and the moments the problem bites.</summary>
public sealed record DayInLife
{
    [Description("Two to four sentences.")]
    public string MorningRoutine { get; init; } = "";

    [Description("Two to four sentences.")]
    public string WorkdayExperience { get; init; } = "";

    [Description("Two to four sentences.")]
    public string EveningRoutine { get; init; } = "";

    [Description("Two to four sentences.")]
    public string WeekendRoutine { get; init; } = "";

    [Description("Moments in the day when the pain is felt most.")]
    [Length(5, 5)]
    public IReadOnlyList<string> PainPointMoments { get; init; } = [];
}

public sealed record BuyingTriggers
{
    [Length(1, 7)]
    public IReadOnlyList<string> OptimalContactDays { get; init; } = [];

    [Description("Times of day with the time zone, e.g. \"7-8 pm ET\".")]
    [Length(1, 4)]
    public IReadOnlyList<string> OptimalContactTimes { get; init; } = [];

    [Description("When in the month, quarter or year they make buying decisions, and why.")]
    public string DecisionMakingWindows { get; init; } = "";

    [Length(2, 5)]
    public IReadOnlyList<string> PlatformPreferences { get; init; } = [];

    [Length(2, 5)]
    public IReadOnlyList<string> ContentFormatPreferences { get; init; } = [];
}

public sealed record OnlineCommunity
{
    [Description("E.g. Reddit, Facebook, LinkedIn, Slack, Discord.")]
    public string Platform { get; init; } = "";

    public string Name { get; init; } = "";

    [Description("Address of the community, only if you are sure it exists.")]
    public string? Url { get; init; }

    [Description("Approximate number of members, e.g. \"45,000 members\".")]
    public string MemberCount { get; init; } = "";

    [AllowedValues("high", "medium", "low")]
    public string EngagementLevel { get; init; } = "";

    [Description("Why members trust what is said there.")]
    public string TrustFactor { get; init; } = "";

    public string ToneAndNorms { get; init; } = "";

    [Length(3, 6)]
    public IReadOnlyList<string> TopTopics { get; init; } = [];

    [Description("Titles of typical posts, as members write them.")]
    [Length(3, 5)]
    public IReadOnlyList<string> TopPostExamples { get; init; } = [];

    [Description("How the business can show up there without breaking the community's rules.")]
    public string AdvertisingOpportunity { get; init; } = "";
}

public sealed record AvatarBarrier
{
    public string Barrier { get; init; } = "";

    public string Solution { get; init; } = "";
}
