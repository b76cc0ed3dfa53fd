using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.OfferDesign;
using MarketIntel.Pipeline.Stages.PaymentPlans;
using MarketIntel.Pipeline.Stages.PremiumBonuses;
using MarketIntel.Pipeline.Stages.PricingFramework;
using MarketIntel.Pipeline.Stages.ScarcityUpsells;
using MarketIntel.Pipeline.Stages.ValueStack;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>Prices, plans and totals: the tiers (stage 5), the offer price (9), its plans (10), add-ons (13) and the sums (8, 11, 13).</summary>
internal static class PriceRules
{
    public static IEnumerable<IConsistencyRule> All =>
    [
        new ConsistencyRule<OfferDesign>
        {
            Id = "tiers.signature-is-desired-price",
            Stage = 5,
            Reads = [5],
            Checks = "Tier 2 (the recommended Signature tier) costs the desired price of the business profile, when the profile states one.",
            Instruct = input => OfferPricing.DesiredPrice(input.Profile) is { } price
                ? $"List the tiers in order 1, 2, 3; tier 2 costs the desired price from the profile, {Figures.Money(price)}."
                : null,
            Fixes = input => OfferPricing.DesiredPrice(input.Profile) is { } price
                ? [FixedValue.Number("pricing_tiers[1].price", price, "the desired price of the business profile")]
                : [],
        },
        new ConsistencyRule<OfferDesign>
        {
            Id = "tiers.ascend",
            Stage = 5,
            Reads = [5],
            Checks = "Tier prices rise from tier 1 to tier 3.",
            Instruct = _ => "Tier prices rise strictly: tier 1 < tier 2 < tier 3.",
            Check = (offer, _) =>
            {
                var prices = offer.PricingTiers.OrderBy(t => t.TierNumber).Select(t => t.Price).ToList();
                // A non-positive price is already a schema error; comparing it says nothing more.
                return prices.Any(p => p <= 0) || prices.Zip(prices.Skip(1)).All(p => p.First < p.Second)
                    ? []
                    : [$"pricing_tiers prices must rise from tier 1 to tier 3, got {string.Join(", ", prices.Select(Figures.Money))}."];
            },
        },
        new ConsistencyRule<OfferDesign>
        {
            Id = "tiers.plan-totals-match-text",
            Stage = 5,
            Reads = [5],
            Checks = "Each payment plan's total_cost is what its structure text adds up to (payments × amount).",
            Instruct = _ => "Each payment plan's total_cost equals what its structure says is paid in total (the number of payments times the amount).",
            Check = (offer, _) => offer.PaymentPlans
                .Select((plan, i) => (plan, i, stated: Figures.PlanTotal(plan.Structure)))
                .Where(p => p.stated is { } stated && !OfferStages.SameDollars(stated, p.plan.TotalCost))
                .Select(p => $"payment_plans[{p.i}].total_cost is {Json(p.plan.TotalCost)} but its structure \"{p.plan.Structure}\" adds up to {Figures.Money(p.stated!.Value)}; make them agree."),
        },
        new ConsistencyRule<OfferDesign>
        {
            Id = "tiers.plans-from-signature-price",
            Stage = 5,
            Reads = [5],
            Checks = "The three payment plans are the ones computed from tier 2's price, as stage 10's are from the offer price: pay in full, then 3 and 6 monthly payments.",
            Instruct = input => OfferPricing.DesiredPrice(input.Profile) is { } price
                ? $"payment_plans are computed from tier 2's price {Figures.Money(price)}: {Describe(OfferPricing.Plans(price))} (see the fixed values)."
                : "payment_plans are computed from tier 2's price P: \"One payment of $P\" (total_cost P), then 3 monthly payments of P × 1.10 / 3 and 6 monthly payments of P × 1.20 / 6, each payment rounded up to the dollar and total_cost the payments times the amount.",
            Fixes = input => OfferPricing.DesiredPrice(input.Profile) is { } price
                ? PlanValues(OfferPricing.Plans(price), "structure", "total_cost", $"computed from tier 2's price {Figures.Money(price)}, the desired price of the business profile")
                : [],
            // With a desired price the fixed values say it all; without one, tier 2's price is the model's and the plans follow it.
            Check = (offer, input) =>
            {
                var signature = offer.PricingTiers.FirstOrDefault(t => t.TierNumber == 2)?.Price ?? 0;
                if (OfferPricing.DesiredPrice(input.Profile) is not null || signature <= 0)
                {
                    return [];
                }
                return OfferPricing.Plans(signature).Zip(offer.PaymentPlans, (expected, plan) => (expected, plan))
                    .Select((p, i) => (p.expected, p.plan, i))
                    .Where(p => p.plan.Structure.Trim() != p.expected.Structure || p.plan.TotalCost != p.expected.Total)
                    .Select(p => $"payment_plans[{p.i}] must have structure \"{p.expected.Structure}\" and total_cost {Json(p.expected.Total)}, computed from tier 2's price {Figures.Money(signature)}; got \"{FieldRules.Truncate(p.plan.Structure, 60)}\" and {Json(p.plan.TotalCost)}.");
            },
        },
        new ConsistencyRule<ValueStack>
        {
            Id = "value-stack.total-is-sum",
            Stage = 8,
            Reads = [8],
            Checks = "total_perceived_value is the sum of the components' perceived values.",
            Instruct = _ => "total_perceived_value is exactly the sum of the components' perceived_value.",
            Check = (stack, _) => SumError("total_perceived_value", stack.TotalPerceivedValue, "the components", stack.CoreComponents.Select(c => c.PerceivedValue)),
        },
        new ConsistencyRule<PricingFramework>
        {
            Id = "pricing.price-from-tier",
            Stage = 9,
            Reads = [5, 9],
            Checks = "recommended_price is the offer price chosen from stage 5's tiers and the comfortable range (docs/consistency.md, price choice).",
            Instruct = input => $"recommended_price is fixed: {Choice(input).Source}. Justify that price; do not set another.",
            Fixes = input =>
            {
                var choice = Choice(input);
                return [FixedValue.Number("recommended_price", choice.Price, choice.Source)];
            },
        },
        new ConsistencyRule<PricingFramework>
        {
            Id = "pricing.ratio-from-stack",
            Stage = 9,
            Reads = [5, 8, 9],
            Checks = "value_to_price_ratio is stage 8's total perceived value divided by the offer price.",
            Instruct = _ => "value_to_price_ratio is fixed: stage 8's total perceived value divided by recommended_price, one decimal, as N:1.",
            Fixes = input =>
            {
                var total = input.Get<ValueStack>(8).TotalPerceivedValue;
                var price = Choice(input).Price;
                return [FixedValue.Text("value_to_price_ratio", OfferPricing.ValueToPriceRatio(total, price),
                    $"stage 8's total perceived value {Figures.Money(total)} divided by the offer price {Figures.Money(price)}")];
            },
        },
        new ConsistencyRule<PricingFramework>
        {
            Id = "pricing.payment-options-are-the-plans",
            Stage = 9,
            Reads = [5, 9],
            Checks = "The payment options stage 9 describes are the three plans stage 10 will carry, computed from the price (fixed values).",
            Instruct = _ => "payment_structure offers the three plans computed from the price: pay in full as the primary option, the instalment plans as the alternatives (see the fixed values).",
            Fixes = input =>
            {
                var plans = OfferPricing.Plans(Choice(input).Price);
                var source = $"the plan computed from the offer price {Figures.Money(Choice(input).Price)}";
                return
                [
                    FixedValue.Text("payment_structure.primary_option", plans[0].Structure, source),
                    .. plans.Skip(1).Select((p, i) => FixedValue.Text($"payment_structure.alternative_options[{i}]", p.Structure, source)),
                ];
            },
        },
        new ConsistencyRule<PaymentPlans>
        {
            Id = "plans.pay-in-full-is-price",
            Stage = 10,
            Reads = [9, 10],
            Checks = "Plan 1 is pay-in-full at exactly the offer price of stage 9.",
            Instruct = input => $"Plan 1 is pay-in-full at the offer price {Figures.Money(OfferPrice(input))} fixed by stage 9; reward it with a bonus or extra access, not a discount.",
            Fixes = input => PlanValues(input, 0, 1),
        },
        new ConsistencyRule<PaymentPlans>
        {
            Id = "plans.instalments-from-price",
            Stage = 10,
            Reads = [9, 10],
            Checks = "Plans 2 and 3 split the offer price plus 10 % into 3 and plus 20 % into 6 monthly payments.",
            Instruct = input => $"Plans 2 and 3 are instalment plans computed from that price: {Describe(OfferPricing.Plans(OfferPrice(input)).Skip(1))}.",
            Fixes = input => PlanValues(input, 1, OfferPricing.InstalmentPlans.Count),
        },
        new ConsistencyRule<PremiumBonuses>
        {
            Id = "bonuses.total-is-sum",
            Stage = 11,
            Reads = [11],
            Checks = "total_bonus_value is the sum of the bonuses' perceived values.",
            Instruct = _ => "total_bonus_value is exactly the sum of the bonuses' perceived_value.",
            Check = (bonuses, _) => SumError("total_bonus_value", bonuses.TotalBonusValue, "the bonuses", bonuses.Bonuses.Select(b => b.PerceivedValue)),
        },
        new ConsistencyRule<ScarcityUpsells>
        {
            Id = "add-ons.upsells-from-price",
            Stage = 13,
            Reads = [9, 13],
            Checks = "The two upsells are priced from stage 9's core price (about 3 % and 10 %, ending in 7, within $97-$297 and $497-$997), and their total is their sum.",
            Instruct = input => $"The upsell prices are fixed from the core offer price {Figures.Money(OfferPrice(input))} of stage 9: upsell 1 (tactical) {Figures.Money(UpsellPrices(input)[0])}, upsell 2 (strategic) {Figures.Money(UpsellPrices(input)[1])}; total_upsell_revenue_potential is their sum.",
            Fixes = input =>
            {
                var prices = UpsellPrices(input);
                var source = $"priced from the core offer price {Figures.Money(OfferPrice(input))} fixed by stage 9";
                return
                [
                    .. prices.Select((p, i) => FixedValue.Number($"upsells[{i}].price", p, source)),
                    FixedValue.Number("total_upsell_revenue_potential", prices.Sum(), "the sum of the two upsell prices"),
                ];
            },
        },
        new ConsistencyRule<ScarcityUpsells>
        {
            Id = "add-ons.bump-total-is-sum",
            Stage = 13,
            Reads = [13],
            Checks = "total_order_bump_revenue_potential is the sum of the three bump prices.",
            Instruct = _ => "total_order_bump_revenue_potential is exactly the sum of the three order bump prices.",
            Check = (addOns, _) => SumError("total_order_bump_revenue_potential", addOns.TotalOrderBumpRevenuePotential, "the bump prices", addOns.OrderBumps.Select(b => b.Price)),
        },
    ];

    private static OfferPricing.PriceChoice Choice(StageInput input) =>
        OfferPricing.ChoosePrice(input.Get<OfferDesign>(5), input.RequirePreferences().ComfortablePriceRange);

    /// <summary>Stages after 9 take the price stage 9 stored: it was checked against the choice when it was validated.</summary>
    private static decimal OfferPrice(StageInput input) => input.Get<PricingFramework>(9).RecommendedPrice;

    private static IReadOnlyList<decimal> UpsellPrices(StageInput input) => OfferPricing.UpsellPrices(OfferPrice(input));

    private static IReadOnlyList<FixedValue> PlanValues(StageInput input, int from, int count)
    {
        var price = OfferPrice(input);
        return PlanValues(OfferPricing.Plans(price).Take(from + count).ToList(), "payment_structure", "total_price",
            $"computed from the offer price {Figures.Money(price)} fixed by stage 9", from);
    }

    /// <summary>The structure and total of each plan from <paramref name="from"/> on, at the field names of the stage's record.</summary>
    private static IReadOnlyList<FixedValue> PlanValues(IReadOnlyList<OfferPricing.PlanTerms> plans, string structureField, string totalField, string source, int from = 0) =>
    [
        .. plans.Select((plan, i) => (plan, i)).Skip(from).SelectMany(p => new[]
        {
            FixedValue.Text($"payment_plans[{p.i}].{structureField}", p.plan.Structure, source),
            FixedValue.Number($"payment_plans[{p.i}].{totalField}", p.plan.Total, source),
        }),
    ];

    private static string Describe(IEnumerable<OfferPricing.PlanTerms> plans) =>
        string.Join("; ", plans.Select(p => $"{p.Structure} ({Figures.Money(p.Total)} in total)"));

    private static IEnumerable<string> SumError(string path, decimal total, string what, IEnumerable<decimal> items)
    {
        var sum = items.Sum();
        return OfferStages.SameDollars(sum, total) ? [] : [$"{path} is {Figures.Money(total)} but {what} add up to {Figures.Money(sum)}; set it to {Json(sum)}."];
    }

    private static string Json(decimal value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
