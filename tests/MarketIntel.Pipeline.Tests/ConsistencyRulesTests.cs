using MarketIntel.Pipeline.Consistency;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.ReportSynthesis;

namespace MarketIntel.Pipeline.Tests;

/// <summary>
/// Every rule of the catalogue holds on a consistent job and fails on a counterexample that breaks only it; both come
/// from the stage's own Validate, so the errors are what the re-ask and the quality score see.
/// </summary>
public class ConsistencyRulesTests
{
    private static readonly StageInput Job = OfferStageTestKit.Job();

    private static readonly string Report = ReportFixture.Build(ReportOutline.For(Job), research: Job);

    /// <summary>The consistent answer of each checked stage: the samples the stage tests validate.</summary>
    private static readonly Dictionary<int, string> Valid = new()
    {
        [1] = MarketAnalysisStageTests.ValidOutput,
        [4] = ResearchSamples.AvatarCreation,
        [5] = ResearchSamples.OfferDesign,
        [6] = Report,
        [8] = ValueStackStageTests.ValidOutput,
        [9] = PricingFrameworkStageTests.ValidOutput,
        [10] = PaymentPlansStageTests.ValidOutput,
        [11] = PremiumBonusesStageTests.ValidOutput,
        [13] = ScarcityUpsellsStageTests.ValidOutput,
    };

    /// <summary>For each rule, a change to the consistent answer that breaks that rule.</summary>
    private static readonly Dictionary<string, Func<string, string>> Counterexamples = new()
    {
        ["market.projection-follows-growth"] = Set("market_size_2025_projected", "$4.5 billion"),
        ["market.growth-matches-sizes"] = Set("market_size_2025_projected", "$6.5 billion"),
        ["avatar.age-in-segment"] = Set("demographics.age_range", "55"),
        ["avatar.income-in-segment"] = Set("demographics.household_income", "$90,000"),
        ["tiers.signature-is-desired-price"] = Set("pricing_tiers[1].price", 20000),
        ["tiers.ascend"] = Set("pricing_tiers[0].price", 30000),
        ["tiers.plan-totals-match-text"] = Set("payment_plans[1].total_cost", 27600),
        ["tiers.plans-from-signature-price"] = Set("payment_plans[2].structure", "6 monthly payments of $5,500"),
        ["names.tiers-distinct"] = Set("pricing_tiers[2].tier_name", "Signature Accelerator"),
        ["value-stack.total-is-sum"] = Set("total_perceived_value", 65000),
        ["pricing.price-from-tier"] = Set("recommended_price", 10000),
        ["pricing.ratio-from-stack"] = Set("value_to_price_ratio", "6:1"),
        ["pricing.payment-options-are-the-plans"] = Set("payment_structure.primary_option", "Pay in full: $22,500"),
        ["plans.pay-in-full-is-price"] = Set("payment_plans[0].total_price", 14000),
        ["plans.instalments-from-price"] = Set("payment_plans[2].payment_structure", "6 monthly payments of $4,500"),
        ["bonuses.total-is-sum"] = Set("total_bonus_value", 2000),
        ["names.bonuses-distinct"] = Set("bonuses[1].bonus_name", "Signature Accelerator"),
        ["add-ons.upsells-from-price"] = Set("upsells[0].price", 197),
        ["add-ons.bump-total-is-sum"] = Set("total_order_bump_revenue_potential", 150),
        ["names.add-ons-distinct"] = Set("upsells[1].upsell_name", "Delegation Template Vault"),
        ["report.buyer-phrases-verbatim"] = Replace("Leadership doesn't see my impact", "Leadership does not notice my impact"),
        ["report.fear-quotes-verbatim"] = Replace("I refuse to become the person who brags in every meeting.", "I will not brag in meetings."),
        ["report.headlines-verbatim"] = Replace("Walk into the roadmap meeting as the leader everyone expects to hear from first", "Walk into the roadmap meeting as the leader"),
        ["report.tier-prices"] = Replace("| Name value 2 | $25,000 |", "| Name value 2 | $4,997 |"),
        ["report.plan-totals"] = Replace("| Structure value 1 | $25,000 |", "| Structure value 1 | $6,000 |"),
        ["report.bonus-values"] = Replace("| Bonus value 1 | $1,500 |", "| Bonus value 1 | $15,000 |"),
        ["report.market-figures"] = Replace("$5.3 billion in 2025", "$5.1 billion in 2025"),
        ["report.competitor-prices"] = Replace("| $6,000-$10,000 per leader per year |", "| $600 per session |"),
        ["report.avatar-demographics"] = Replace("| Attribute value 2 | $310,000 |", "| Attribute value 2 | $250,000 |"),
    };

    public static TheoryData<string> RuleIds() => new(ConsistencyRules.All.Select(r => r.Id));

    [Fact]
    public void The_catalogue_has_at_least_15_rules_with_distinct_ids()
    {
        Assert.True(ConsistencyRules.All.Count >= 15);
        Assert.Equal(ConsistencyRules.All.Count, ConsistencyRules.All.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_rule_holds_on_the_consistent_job(string id)
    {
        var rule = Rule(id);

        var result = StageCatalog.Get(rule.Stage).Validate(Valid[rule.Stage], Job);

        Assert.DoesNotContain(result.Errors, e => e.EndsWith($"[{id}]", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_rule_fails_its_stage_on_its_counterexample_and_costs_score(string id)
    {
        var rule = Rule(id);
        var stage = StageCatalog.Get(rule.Stage);

        var result = stage.Validate(Counterexamples[id](Valid[rule.Stage]), Job);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.EndsWith($"[{id}]", StringComparison.Ordinal));
        Assert.True(result.QualityScore <= 100 - stage.Weights.Error, $"score {result.QualityScore}");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_rule_reads_only_what_its_stage_reads_so_the_cache_key_covers_it(string id)
    {
        var rule = Rule(id);

        Assert.All(rule.Reads, r => Assert.True(r == rule.Stage || StageCatalog.Get(rule.Stage).Reads.Contains(r), $"stage {rule.Stage} does not read {r}"));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_rule_reads_the_answer_type_of_its_stage(string id)
    {
        var rule = Rule(id);
        var stage = StageCatalog.Get(rule.Stage);

        var expected = stage.OutputKind == StageOutputKind.Markdown
            ? typeof(string)
            : stage.GetType().BaseType!.GetGenericArguments().Single();
        Assert.Equal(expected, rule.Output);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_rule_is_stated_in_its_stages_prompt_with_its_fixed_values(string id)
    {
        var rule = Rule(id);

        var prompt = StageCatalog.Get(rule.Stage).BuildPrompt(Job, OfferStageTestKit.Condensed).User;

        Assert.Contains(rule.Instruction(Job)!, prompt, StringComparison.Ordinal);
        Assert.All(rule.FixedValues(Job), f => Assert.Contains($"\n- {f.Path}: {f.Json}\n", prompt.ReplaceLineEndings("\n"), StringComparison.Ordinal));
    }

    public static TheoryData<string> ReportRuleIds() => new(ConsistencyRules.For(6).Select(r => r.Id));

    /// <summary>The sectioned report states each report rule in, and checks it on, the part that holds the rule's heading.</summary>
    [Theory]
    [MemberData(nameof(ReportRuleIds))]
    public void A_report_rule_is_stated_in_and_checked_on_the_section_that_holds_its_heading(string id)
    {
        var rule = Rule(id);
        var stage = (ReportSynthesisStage)StageCatalog.Get(6);
        var part = ReportPlan.For(Job).Single(p => p.Outline.Any(s => s.Title == rule.Section));
        var section = stage.Sections(Job, OfferStageTestKit.Condensed).Single(s => s.Key == part.Key);
        var text = ReportFixture.Build(part.Outline, (part.Words!.Value.Min + part.Words.Value.Max) / 2, Job);

        Assert.All(rule.Reads, r => Assert.Contains(r, part.Reads));
        Assert.Contains(rule.Instruction(Job)!, section.Prompt.User, StringComparison.Ordinal);
        Assert.DoesNotContain(stage.ValidateSection(section, text, Job).Errors, e => e.EndsWith($"[{id}]", StringComparison.Ordinal));
        Assert.Contains(stage.ValidateSection(section, Counterexamples[id](text), Job).Errors, e => e.EndsWith($"[{id}]", StringComparison.Ordinal));
    }

    [Fact]
    public void The_avatar_is_held_to_the_power_4_percent_ages_when_stage_1_gives_them()
    {
        var input = WithSegments(power4: "Directors aged 40-45 at public tech companies", top20: "Women 32-48 in senior engineering roles");
        var stage = StageCatalog.Get(4);

        Assert.Contains("demographics.age_range must lie within 40-45: the ages of the dream-customer segment in stage 1 power_4_percent.demographics.",
            stage.BuildPrompt(input, OfferStageTestKit.Condensed).User, StringComparison.Ordinal);
        Assert.Contains(stage.Validate(ResearchSamples.AvatarCreation, input).Errors,
            e => e.StartsWith("demographics.age_range is \"38\"; it must lie within 40-45", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_an_age_range_in_the_segments_the_avatar_age_is_not_constrained()
    {
        var input = WithSegments(power4: "Principal engineers at public tech companies", top20: "Senior women engineers");
        var stage = StageCatalog.Get(4);

        Assert.DoesNotContain("demographics.age_range must lie", stage.BuildPrompt(input, OfferStageTestKit.Condensed).User, StringComparison.Ordinal);
        Assert.True(stage.Validate(TestData.Mutate(ResearchSamples.AvatarCreation, o => TestData.Set(o, "demographics.age_range", "55")), input).IsValid);
    }

    [Theory]
    [InlineData("$310,000", true)]
    [InlineData("$400,000", false)]
    public void A_segment_income_range_bounds_the_avatar_income_both_ways(string income, bool valid)
    {
        var input = WithSegments(power4: "Principal engineers at public tech companies", top20: "Women 32-48, household income $180k-$350k");

        var result = StageCatalog.Get(4).Validate(TestData.Mutate(ResearchSamples.AvatarCreation, o => TestData.Set(o, "demographics.household_income", income)), input);

        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid, !result.Errors.Any(e => e.Contains("it must be within $180,000-$350,000", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_single_call_report_prompt_too_long_for_the_quoted_values_states_the_report_rules_in_short_form()
    {
        var verbose = TestData.Input(ResearchSamples.Outputs(5).ToDictionary(p => p.Key, p => TestData.Verbose(p.Value, 6)));

        var prompt = StageCatalog.Get(6).BuildPrompt(verbose, OfferStageTestKit.Condensed).User;

        Assert.All(ConsistencyRules.For(6), r => Assert.Contains(r.Checks, prompt, StringComparison.Ordinal));
        Assert.DoesNotContain(ConsistencyRules.For(6)[0].Instruction(verbose)!, prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_rules_give_their_values_as_one_json_array() =>
        Assert.Contains("""In the table under "3-Tier Pricing Model", the "Price" column holds, row by row, the research's tier prices in tier order: ["$11,000","$25,000","$45,000"].""",
            ConsistencyRules.Instructions(6, Job));

    [Fact]
    public void Only_report_rules_name_a_report_section() =>
        Assert.All(ConsistencyRules.All, r => Assert.Equal(r.Stage == 6, r.Section is not null));

    [Fact]
    public void An_answer_that_copies_the_fixed_values_passes_them()
    {
        foreach (var stage in Valid.Keys.Where(s => s != 6))
        {
            var answer = System.Text.Json.Nodes.JsonNode.Parse(Valid[stage]);

            Assert.All(ConsistencyRules.FixedValues(stage, Job), f => Assert.Null(f.Mismatch(answer)));
        }
    }

    [Fact]
    public void A_rule_whose_inputs_state_nothing_to_check_is_left_out_of_the_prompt()
    {
        var noDesiredPrice = new StageInput(TestData.Profile with { DesiredPricePoint = "whatever the market bears" }, null, ResearchSamples.Outputs(4));

        var prompt = StageCatalog.Get(5).BuildPrompt(noDesiredPrice, OfferStageTestKit.Condensed).User;

        Assert.DoesNotContain("tier 2 costs the desired price", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("pricing_tiers[1].price", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsistencyRules.Errors(5, PipelineJson.Deserialize<Stages.OfferDesign.OfferDesign>(
            TestData.Mutate(ResearchSamples.OfferDesign, o => TestData.Set(o, "pricing_tiers[1].price", 20000)))!, null, noDesiredPrice),
            e => e.EndsWith("[tiers.signature-is-desired-price]", StringComparison.Ordinal));
    }

    [Fact]
    public void The_docs_describe_every_rule()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "consistency.md"));

        Assert.All(ConsistencyRules.All, r => Assert.Contains($"`{r.Id}`", docs, StringComparison.Ordinal));
    }

    private static StageInput WithSegments(string power4, string top20)
    {
        var market = TestData.Mutate(MarketAnalysisStageTests.ValidOutput, o =>
        {
            TestData.Set(o, "power_4_percent.demographics", power4);
            TestData.Set(o, "top_20_percent.demographics", top20);
        });
        return TestData.Input(new Dictionary<int, string>(ResearchSamples.Outputs(3)) { [1] = market });
    }

    private static IConsistencyRule Rule(string id) => ConsistencyRules.All.Single(r => r.Id == id);

    private static Func<string, string> Set(string path, System.Text.Json.Nodes.JsonNode value) =>
        json => TestData.Mutate(json, o => TestData.Set(o, path, value));

    private static Func<string, string> Replace(string from, string to) => report =>
    {
        Assert.Contains(from, report, StringComparison.Ordinal); // a counterexample that changes nothing would prove nothing
        return report.Replace(from, to, StringComparison.Ordinal);
    };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MarketIntel.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("MarketIntel.sln not found above the test output.");
    }
}
