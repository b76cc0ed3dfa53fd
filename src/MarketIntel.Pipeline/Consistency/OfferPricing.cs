using System.Globalization;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Stages.OfferDesign;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>
/// The prices code derives instead of asking a model for them (docs/consistency.md, "What code computes"): the offer
/// price from stage 5's tiers, the payment plans from that price, and the upsell prices relative to it.
/// </summary>
public static class OfferPricing
{
    /// <summary>Instalment plans cost more in total than paying in full: 3 payments +10 %, 6 payments +20 %.</summary>
    public static readonly IReadOnlyList<(int Payments, decimal Surcharge)> InstalmentPlans = [(3, 0.10m), (6, 0.20m)];

    /// <summary>The tactical upsell is about 3 % of the core price within $97-$297; the strategic one about 10 % within $497-$997.</summary>
    public static readonly IReadOnlyList<(decimal Share, decimal Min, decimal Max)> UpsellBands = [(0.03m, 97, 297), (0.10m, 497, 997)];

    /// <summary>The offer price and why it is that one, in words that can end an error message.</summary>
    public sealed record PriceChoice(decimal Price, string Source);

    /// <summary>One way to pay: how many payments of how much.</summary>
    public sealed record PlanTerms(int Payments, decimal Instalment)
    {
        public decimal Total => Payments * Instalment;

        public string Structure => Payments == 1
            ? $"One payment of {Money(Instalment)}"
            : $"{Payments} monthly payments of {Money(Instalment)}";
    }

    /// <summary>
    /// The offer price (stage 9): stage 5's recommended tier when its price lies in the user's comfortable range;
    /// otherwise the tier inside the range whose price is nearest the recommended tier's; when no
    /// tier lies inside, the end of the range nearest the recommended tier, because the range is the user's own limit.
    /// </summary>
    public static PriceChoice ChoosePrice(OfferDesign offer, PriceRange range)
    {
        var tiers = offer.PricingTiers.OrderBy(t => t.TierNumber).ToList();
        var recommended = tiers.FirstOrDefault(t => t.IsRecommended) ?? tiers.FirstOrDefault(t => t.TierNumber == 2) ?? tiers[tiers.Count / 2];
        var inRange = tiers.Where(t => t.Price >= range.Min && t.Price <= range.Max).ToList();
        var rangeText = $"{Money(range.Min)} - {Money(range.Max)}";
        if (inRange.Contains(recommended))
        {
            return new(recommended.Price, $"the price of stage 5's recommended tier \"{recommended.TierName}\"");
        }
        if (inRange.Count > 0)
        {
            // The range is one interval without the recommended price, so the in-range tiers lie on one side of it: no ties.
            var nearest = inRange.MinBy(t => Math.Abs(t.Price - recommended.Price))!;
            return new(nearest.Price,
                $"the price of stage 5's tier \"{nearest.TierName}\", the tier nearest the recommended one inside the comfortable range {rangeText}");
        }
        var bound = recommended.Price < range.Min ? range.Min : range.Max;
        return new(bound,
            $"the end of the comfortable range {rangeText} nearest stage 5's recommended tier ({Money(recommended.Price)}), since no tier lies inside the range");
    }

    /// <summary>The desired price of the profile ("$25,000 for 6 months" is 25000); null when it states no amount.</summary>
    public static decimal? DesiredPrice(BusinessProfile profile) => Figures.FirstAmount(profile.DesiredPricePoint);

    /// <summary>Stage 10's three plans: pay in full at the price, then the instalment plans of <see cref="InstalmentPlans"/>.</summary>
    public static IReadOnlyList<PlanTerms> Plans(decimal price) =>
    [
        new(1, price),
        .. InstalmentPlans.Select(p => new PlanTerms(p.Payments, Math.Ceiling(price * (1 + p.Surcharge) / p.Payments))),
    ];

    /// <summary>Stage 13's upsell prices for a core price: a share of it, ending in 7, clamped to the upsell's band.</summary>
    public static IReadOnlyList<decimal> UpsellPrices(decimal corePrice) =>
        [.. UpsellBands.Select(b => Math.Clamp(Math.Floor(corePrice * b.Share / 10) * 10 + 7, b.Min, b.Max))];

    /// <summary>Stage 8's total over stage 9's price, with one decimal, as "N:1".</summary>
    public static string ValueToPriceRatio(decimal totalValue, decimal price) =>
        $"{Math.Round(totalValue / price, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture)}:1";

    private static string Money(decimal amount) => Figures.Money(amount);
}
