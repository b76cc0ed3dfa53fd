using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages.OfferRationale;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class OfferRationaleStageTests
{
    private static readonly OfferRationaleStage Stage = new();

    internal const string ValidOutput = """
    {
      "options": [
        {
          "big_promise": "Get the director title your work already deserves within 12 months",
          "unique_mechanism_name": "The Strategic Visibility Framework",
          "mechanism_explanation": "Impact mapping turns invisible engineering wins into business outcomes executives track. Sponsor building puts two senior advocates in the promotion room. This answers the fear that working harder will never be noticed.",
          "who_its_for": "Principal engineers at public tech companies who already do director-level work",
          "why_now": "Promotion cycles close in Q1; every cycle missed costs about $60,000 in pay",
          "proof_strategy": "Lead with case studies of clients promoted within a year and back them with coaching certifications",
          "differentiation": ["Built only for women in technical leadership", "Measures success by promotion, not by sessions held", "Includes a stakeholder review with the client's own sponsor"],
          "strategic_angle": "Maximise conversion rate with a concrete, time-bound outcome"
        },
        {
          "big_promise": "Lead at director level without giving up your evenings",
          "unique_mechanism_name": "The Executive Balance Method",
          "mechanism_explanation": "A time audit frees eight hours a week, then delegation templates keep them free. The fear of burning out on the way up is answered by the schedule itself.",
          "who_its_for": "Senior engineering managers with young families who are stretched thin",
          "why_now": "Burnout is the first reason strong candidates withdraw from promotion",
          "proof_strategy": "Use testimonials about reclaimed time alongside before-and-after calendars",
          "differentiation": ["Pairs career growth with time recovery", "Gives done-for-you delegation templates", "Offers a private Slack community of peers"],
          "strategic_angle": "Build trust and authority through a humane, sustainable promise"
        },
        {
          "big_promise": "Become the obvious choice in your next promotion review",
          "unique_mechanism_name": "The Executive Narrative Sprint",
          "mechanism_explanation": "In six weeks the client builds a written leadership narrative and rehearses it with a coach. It answers the fear of sounding self-promotional by grounding every claim in data.",
          "who_its_for": "Staff engineers preparing for their first director interview loop",
          "why_now": "Reviews are decided on the story told in the room, which is prepared months before",
          "proof_strategy": "Show anonymised narratives from promoted clients with their permission",
          "differentiation": ["Focuses on the promotion packet, not generic confidence", "Uses real calibration criteria from large tech firms", "Adds a premium narrative review as an order bump"],
          "strategic_angle": "Raise average order value with a sprint that leads into the full programme"
        }
      ],
      "recommended_option": 1,
      "recommendation_rationale": "Option 1 names the outcome buyers pay for and puts a date on it. It uses the proof the business already has and fits the conversion priority."
    }
    """;

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, Job()));

    [Theory]
    [InlineData("options")]
    [InlineData("recommended_option")]
    [InlineData("recommendation_rationale")]
    public void Each_missing_top_level_field_is_an_error(string field)
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), Job());

        AssertError(result, $"{field} is missing or empty.");
        Assert.Equal(100 - 10 * result.Errors.Count, result.QualityScore);
    }

    [Theory]
    [InlineData("big_promise")]
    [InlineData("mechanism_explanation")]
    [InlineData("who_its_for")]
    [InlineData("why_now")]
    [InlineData("proof_strategy")]
    [InlineData("strategic_angle")]
    public void A_missing_option_field_is_an_error(string field)
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["options"]![1]!.AsObject().Remove(field)), Job());

        AssertError(result, $"options[1].{field} is missing or empty.");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Anything_but_three_options_is_an_error(int count)
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "options", count)), Job());

        AssertError(result, $"options must have exactly 3 items, got {count}.");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Anything_but_three_differentiators_is_an_error(int count)
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o["options"]![0]!.AsObject(), "differentiation", count)), Job());

        AssertError(result, $"options[0].differentiation must have exactly 3 items, got {count}.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Recommended_option_outside_1_to_3_is_an_error(int option)
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["recommended_option"] = option), Job());

        AssertError(result, "recommended_option must be between 1 and 3");
    }

    [Fact]
    public void The_originals_option_key_is_a_type_error()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["recommended_option"] = "option_2"), Job());

        AssertError(result, "recommended_option must be integer");
    }

    [Fact]
    public void Recommending_an_option_that_is_not_there_is_an_error()
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            TestData.Resize(o, "options", 2);
            o["recommended_option"] = 3;
        });

        var result = Stage.Validate(json, Job());

        Assert.Contains("recommended_option is 3 but there are only 2 options.", result.Errors);
    }

    [Fact]
    public void Options_sharing_a_mechanism_cost_a_warning()
    {
        var json = TestData.Mutate(ValidOutput, o => o["options"]![2]!["unique_mechanism_name"] = "the strategic visibility framework");

        AssertOnlyWarning(Stage.Validate(json, Job()), "repeat a unique_mechanism_name", 5);
    }

    [Theory]
    [InlineData("TBD")]
    [InlineData("[Insert promise here]")]
    [InlineData("...")]
    public void A_placeholder_is_an_error_and_counted(string placeholder)
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["options"]![0]!["differentiation"]![1] = placeholder), Job());

        AssertError(result, "options[0].differentiation[1] contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
    }

    [Fact]
    public void The_prompt_carries_priorities_transformation_and_proof_assets()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User;

        Assert.Contains("<data name=\"offer_preferences\">", prompt);
        Assert.Contains("maximize conversion rate, maximize average order value, build trust authority", prompt);
        Assert.Contains(TestData.Preferences.PrimaryTransformation, prompt);
        Assert.Contains("testimonials, case studies, certifications", prompt);
        Assert.Contains("Ashley Shaw Consulting", prompt);
        Assert.Contains(TestData.Profile.UniqueMechanism, prompt);
    }

    [Fact]
    public void The_schema_fixes_three_options_and_the_recommendation_range()
    {
        var properties = Stage.ResponseSchema["properties"]!;

        Assert.Equal(3, properties["options"]!["minItems"]!.GetValue<int>());
        Assert.Equal(3, properties["options"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(3, properties["recommended_option"]!["maximum"]!.GetValue<double>());
        Assert.Equal("integer", properties["recommended_option"]!["type"]!.GetValue<string>());
        Assert.IsType<JsonArray>(properties["options"]!["items"]!["required"]);
    }
}
