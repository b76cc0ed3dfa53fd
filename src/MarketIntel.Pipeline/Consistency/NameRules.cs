using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.OfferDesign;
using MarketIntel.Pipeline.Stages.PremiumBonuses;
using MarketIntel.Pipeline.Stages.ScarcityUpsells;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>Names a buyer sees side by side on one sales page must tell the things apart: offer, tiers, bonuses, add-ons.</summary>
internal static class NameRules
{
    public static IEnumerable<IConsistencyRule> All =>
    [
        new ConsistencyRule<OfferDesign>
        {
            Id = "names.tiers-distinct",
            Stage = 5,
            Reads = [5],
            Checks = "The three tier names differ from each other and from the offer name.",
            Instruct = _ => "Give each tier its own name, different from the other tiers and from core_offer.offer_name.",
            Check = (offer, _) => Clashes(
                offer.PricingTiers.Select((t, i) => ($"pricing_tiers[{i}].tier_name", t.TierName)),
                [("core_offer.offer_name", offer.CoreOffer.OfferName)]),
        },
        new ConsistencyRule<PremiumBonuses>
        {
            Id = "names.bonuses-distinct",
            Stage = 11,
            Reads = [5, 11],
            Checks = "The bonus names differ from each other and from stage 5's offer and tier names.",
            Instruct = input => $"Give each bonus its own name, different from the other bonuses and from the offer and tier names: {Quoted(OfferNames(input))}.",
            Check = (bonuses, input) => Clashes(bonuses.Bonuses.Select((b, i) => ($"bonuses[{i}].bonus_name", b.BonusName)), OfferNames(input)),
        },
        new ConsistencyRule<ScarcityUpsells>
        {
            Id = "names.add-ons-distinct",
            Stage = 13,
            Reads = [5, 11, 13],
            Checks = "Order bump and upsell names differ from each other, from stage 5's offer and tier names and from stage 11's bonuses (an add-on sold must not be a bonus given).",
            Instruct = input => $"Give every order bump and upsell its own name, different from each other and from these names already in the offer: {Quoted(OfferNames(input).Concat(BonusNames(input)))}.",
            Check = (addOns, input) => Clashes(
                addOns.OrderBumps.Select((b, i) => ($"order_bumps[{i}].bump_name", b.BumpName))
                    .Concat(addOns.Upsells.Select((u, i) => ($"upsells[{i}].upsell_name", u.UpsellName))),
                [.. OfferNames(input), .. BonusNames(input)]),
        },
    ];

    private static IEnumerable<(string Where, string Name)> OfferNames(StageInput input)
    {
        var offer = input.Get<OfferDesign>(5);
        return
        [
            ("stage 5 core_offer.offer_name", offer.CoreOffer.OfferName),
            .. offer.PricingTiers.Select((t, i) => ($"stage 5 pricing_tiers[{i}].tier_name", t.TierName)),
        ];
    }

    private static IEnumerable<(string Where, string Name)> BonusNames(StageInput input) =>
        input.Get<PremiumBonuses>(11).Bonuses.Select((b, i) => ($"stage 11 bonuses[{i}].bonus_name", b.BonusName));

    private static string Quoted(IEnumerable<(string Where, string Name)> names) =>
        string.Join(", ", names.Select(n => $"\"{n.Name.Trim()}\""));

    /// <summary>Each name that repeats an earlier one of the list or one of the names it must differ from (trimmed, any case).</summary>
    private static IEnumerable<string> Clashes(IEnumerable<(string Where, string Name)> names, IEnumerable<(string Where, string Name)> taken)
    {
        var seen = taken.Where(t => !string.IsNullOrWhiteSpace(t.Name)).ToList();
        foreach (var (where, name) in names)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                continue; // an empty name is the schema's error
            }
            var clash = seen.FirstOrDefault(s => string.Equals(s.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
            if (clash.Name is not null)
            {
                yield return $"{where} \"{FieldRules.Truncate(name.Trim())}\" is already the name of {clash.Where}; give it a name of its own.";
            }
            seen.Add((where, name));
        }
    }
}
