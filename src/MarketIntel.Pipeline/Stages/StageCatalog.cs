using MarketIntel.Pipeline.Stages.AvatarCreation;
using MarketIntel.Pipeline.Stages.BuyerPsychology;
using MarketIntel.Pipeline.Stages.CompetitiveAnalysis;
using MarketIntel.Pipeline.Stages.MarketAnalysis;
using MarketIntel.Pipeline.Stages.OfferDesign;
using MarketIntel.Pipeline.Stages.OfferRationale;
using MarketIntel.Pipeline.Stages.PaymentPlans;
using MarketIntel.Pipeline.Stages.PowerGuarantee;
using MarketIntel.Pipeline.Stages.PremiumBonuses;
using MarketIntel.Pipeline.Stages.PricingFramework;
using MarketIntel.Pipeline.Stages.ReportSynthesis;
using MarketIntel.Pipeline.Stages.ScarcityUpsells;
using MarketIntel.Pipeline.Stages.ValueStack;

namespace MarketIntel.Pipeline.Stages;

/// <summary>All stages of the pipeline, by number.</summary>
public static class StageCatalog
{
    public const int FirstOfferStage = 7;

    private static readonly IReadOnlyDictionary<int, IStage> Stages = new IStage[]
    {
        new MarketAnalysisStage(),
        new BuyerPsychologyStage(),
        new CompetitiveAnalysisStage(),
        new AvatarCreationStage(),
        new OfferDesignStage(),
        new ReportSynthesisStage(),
        new OfferRationaleStage(),
        new ValueStackStage(),
        new PricingFrameworkStage(),
        new PaymentPlansStage(),
        new PremiumBonusesStage(),
        new PowerGuaranteeStage(),
        new ScarcityUpsellsStage(),
    }.ToDictionary(s => s.Number);

    public static IEnumerable<IStage> All => Stages.Values.OrderBy(s => s.Number);

    public static bool Exists(int number) => Stages.ContainsKey(number);

    public static IStage Get(int number) =>
        Stages.TryGetValue(number, out var stage)
            ? stage
            : throw new ArgumentOutOfRangeException(nameof(number), number, "There is no such stage.");
}
