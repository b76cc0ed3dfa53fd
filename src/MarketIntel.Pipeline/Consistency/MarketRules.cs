using System.Globalization;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.AvatarCreation;
using MarketIntel.Pipeline.Stages.MarketAnalysis;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>Market figures (stage 1) and the dream-customer segment against the avatar (stage 4).</summary>
internal static class MarketRules
{
    /// <summary>Sizes are written to two or three significant digits, so the rate they imply is only this close (percentage points).</summary>
    public const decimal GrowthTolerancePoints = 2m;

    public static IEnumerable<IConsistencyRule> All =>
    [
        new ConsistencyRule<MarketAnalysis>
        {
            Id = "market.projection-follows-growth",
            Stage = 1,
            Reads = [1],
            Checks = "With positive growth the 2025 projection is larger than the 2024 size; with negative growth, smaller.",
            Instruct = _ => "If market_growth_rate is positive, market_size_2025_projected must be larger than market_size_2024; if it is negative, smaller.",
            Check = (m, _) => Sizes(m) is (var growth, var size2024, var size2025) && Direction(growth, size2024, size2025) is false
                ? [$"market_size_2025_projected ({Figures.Money(size2025)}) contradicts market_growth_rate ({Percent(growth)}) from market_size_2024 ({Figures.Money(size2024)}); at that rate 2025 is about {Figures.Money(Projected(growth, size2024))}."]
                : [],
        },
        new ConsistencyRule<MarketAnalysis>
        {
            Id = "market.growth-matches-sizes",
            Stage = 1,
            Reads = [1],
            Checks = $"The growth rate is the one the two market sizes imply, within {GrowthTolerancePoints} percentage points.",
            Instruct = _ => "market_size_2025_projected must equal market_size_2024 × (1 + market_growth_rate), up to rounding: state the same growth in the rate and in the two sizes.",
            Check = (m, _) =>
            {
                if (Sizes(m) is not (var growth, var size2024, var size2025) || Direction(growth, size2024, size2025) is false || size2024 <= 0)
                {
                    return []; // no figures is another rule's error; a wrong direction is reported once, by the rule above
                }
                var implied = (size2025 / size2024 - 1) * 100;
                return Math.Abs(implied - growth) <= GrowthTolerancePoints
                    ? []
                    : [$"market_growth_rate states {Percent(growth)} but market_size_2024 ({Figures.Money(size2024)}) to market_size_2025_projected ({Figures.Money(size2025)}) is {Percent(implied)}; at {Percent(growth)} the 2025 projection is about {Figures.Money(Projected(growth, size2024))}."];
            },
        },
        new ConsistencyRule<AvatarCreation>
        {
            Id = "avatar.age-in-segment",
            Stage = 4,
            Reads = [1, 4],
            Checks = "The avatar's age lies inside the age range stage 1 gives for the dream-customer segment (the Power 4%, or the top 20% that contains it when the Power 4% states none).",
            Instruct = input => Segment(input, Figures.AgeRangeIn) is (var where, var range)
                ? $"demographics.age_range must lie within {range.Min}-{range.Max}: the ages of the dream-customer segment in stage 1 {where}."
                : null,
            Check = (avatar, input) =>
                Figures.AgeOf(avatar.Demographics.AgeRange) is { } age
                && Segment(input, Figures.AgeRangeIn) is (var where, var range)
                && (age.Min < range.Min || age.Max > range.Max)
                    ? [$"demographics.age_range is \"{FieldRules.Truncate(avatar.Demographics.AgeRange)}\"; it must lie within {range.Min}-{range.Max}: the avatar belongs to the dream-customer segment, whose ages stage 1 gives in {where}."]
                    : [],
        },
        new ConsistencyRule<AvatarCreation>
        {
            Id = "avatar.income-in-segment",
            Stage = 4,
            Reads = [1, 4],
            Checks = "The avatar's household income lies inside the income range stage 1 gives for the segment, or, without one, is not below the market's average household income.",
            Instruct = input => IncomeBounds(input) is { } bounds
                ? $"demographics.household_income must be a dollar figure {bounds.Limit}: {bounds.Source}."
                : null,
            Check = (avatar, input) =>
            {
                if (Figures.FirstAmount(avatar.Demographics.HouseholdIncome) is not { } income || IncomeBounds(input) is not { } bounds)
                {
                    return [];
                }
                return income < bounds.Min || income > bounds.Max
                    ? [$"demographics.household_income is {Figures.Money(income)}; it must be {bounds.Limit}: {bounds.Source}."]
                    : [];
            },
        },
    ];

    private static (decimal Growth, decimal Size2024, decimal Size2025)? Sizes(MarketAnalysis m) =>
        Figures.PercentIn(m.MarketGrowthRate) is { } growth
        && Figures.FirstAmount(m.MarketSize2024) is { } size2024
        && Figures.FirstAmount(m.MarketSize2025Projected) is { } size2025
            ? (growth, size2024, size2025)
            : null;

    /// <summary>False when the projection moves against the stated growth; null when the growth is zero.</summary>
    private static bool? Direction(decimal growth, decimal size2024, decimal size2025) => growth switch
    {
        > 0 => size2025 > size2024,
        < 0 => size2025 < size2024,
        _ => null,
    };

    private static decimal Projected(decimal growth, decimal size2024) => size2024 * (1 + growth / 100);

    private static string Percent(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// What <paramref name="read"/> finds in the dream-customer segment's demographics: the Power 4%'s, or else the top
    /// 20%'s, which contains it. The most specific one only: two ranges a model wrote separately may not overlap.
    /// </summary>
    private static (string Field, T Value)? Segment<T>(StageInput input, Func<string?, T?> read) where T : struct
    {
        var market = input.Get<MarketAnalysis>(1);
        foreach (var (field, text) in new[]
        {
            ("power_4_percent.demographics", market.Power4Percent.Demographics),
            ("top_20_percent.demographics", market.Top20Percent.Demographics),
        })
        {
            if (read(text) is { } value)
            {
                return (field, value);
            }
        }
        return null;
    }

    /// <param name="Limit">The bounds as the prompt and the messages state them ("at least $240,000").</param>
    /// <param name="Source">Where they come from, for a model to check.</param>
    private sealed record Bounds(decimal Min, decimal Max, string Limit, string Source);

    private static Bounds? IncomeBounds(StageInput input)
    {
        if (Segment(input, Figures.AmountRangeIn) is (var where, var range))
        {
            return new(range.Min, range.Max, $"within {Figures.Money(range.Min)}-{Figures.Money(range.Max)}", $"the dream-customer segment's income in stage 1 {where}");
        }
        return Figures.FirstAmount(input.Get<MarketAnalysis>(1).PurchasingPower.AverageHouseholdIncome) is { } average
            ? new(average, decimal.MaxValue, $"at least {Figures.Money(average)}",
                "the market's average household income in stage 1 purchasing_power.average_household_income, since the dream customer pays the premium price")
            : null;
    }
}
