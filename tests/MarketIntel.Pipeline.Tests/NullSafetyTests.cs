using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Tests;

/// <summary>A model may answer null anywhere. Every JSON stage reports it as invalid; none throws.</summary>
public class NullSafetyTests
{
    private static readonly Dictionary<int, string> ValidOutputs = new()
    {
        [1] = MarketAnalysisStageTests.ValidOutput,
        [2] = ResearchSamples.BuyerPsychology,
        [3] = ResearchSamples.CompetitiveAnalysis,
        [4] = ResearchSamples.AvatarCreation,
        [5] = ResearchSamples.OfferDesign,
        [7] = OfferRationaleStageTests.ValidOutput,
        [8] = ValueStackStageTests.ValidOutput,
        [9] = PricingFrameworkStageTests.ValidOutput,
        [10] = PaymentPlansStageTests.ValidOutput,
        [11] = PremiumBonusesStageTests.ValidOutput,
        [12] = PowerGuaranteeStageTests.ValidOutput,
        [13] = ScarcityUpsellsStageTests.ValidOutput,
    };

    private static IEnumerable<int> JsonStageNumbers =>
        StageCatalog.All.Where(s => s.OutputKind == StageOutputKind.Json).Select(s => s.Number);

    public static TheoryData<int> JsonStages() => new(JsonStageNumbers);

    [Fact]
    public void Every_json_stage_has_a_valid_output_here() =>
        Assert.Equal(JsonStageNumbers, ValidOutputs.Keys.Order());

    [Theory]
    [MemberData(nameof(JsonStages))]
    public void The_valid_output_is_valid(int number)
    {
        var result = StageCatalog.Get(number).Validate(ValidOutputs[number], InputFor(number));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    /// <summary>
    /// Each node of a valid output, in turn, becomes null. Where the schema forbids null the result is invalid and names
    /// the node; where it allows null (an optional field) the output stays valid. Nothing throws.
    /// </summary>
    [Theory]
    [MemberData(nameof(JsonStages))]
    public void A_null_at_any_node_is_reported_not_thrown(int number)
    {
        var stage = StageCatalog.Get(number);
        var valid = ValidOutputs[number];
        var input = InputFor(number);
        var paths = new List<string>();
        Collect(JsonNode.Parse(valid)!, "", paths);
        Assert.NotEmpty(paths);

        foreach (var path in paths)
        {
            var root = JsonNode.Parse(valid)!;
            SetNull(root, path);
            ValidationResult? result = null;

            var thrown = Record.Exception(() => result = stage.Validate(root.ToJsonString(), input));

            Assert.True(thrown is null, $"null at {path} threw {thrown}");
            if (SchemaAt(stage.ResponseSchema!, path) is { } schema && AllowsNull(schema))
            {
                Assert.True(result!.IsValid, $"null at the optional {path}: {string.Join("; ", result.Errors)}");
            }
            else
            {
                Assert.False(result!.IsValid, $"null at {path} was accepted");
                Assert.Contains($"{path} is missing or empty.", result.Errors);
            }
        }
    }

    /// <summary>Content rules are skipped only for a malformed record; beside value errors of the schema (a placeholder,
    /// a count) they still run, so one retry can fix everything.</summary>
    [Fact]
    public void A_well_formed_output_with_schema_errors_still_gets_its_content_rules()
    {
        var json = TestData.Mutate(ValueStackStageTests.ValidOutput, o =>
        {
            o["value_stack_summary"] = "[Insert summary]";
            TestData.Resize(o, "core_components", 4);
        });

        var result = StageCatalog.Get(8).Validate(json, InputFor(8));

        Assert.Contains("value_stack_summary contains a placeholder ('[Insert summary]').", result.Errors);
        Assert.Contains("core_components must have 5-7 items, got 4.", result.Errors);
        Assert.Contains("total_perceived_value is $60,000 but the components add up to $53,000; set it to 53000. [value-stack.total-is-sum]", result.Errors);
    }

    /// <summary>What the stage reads: the research before it; for offer stages also the preferences and the value stack.</summary>
    private static StageInput InputFor(int number) =>
        number >= StageCatalog.FirstOfferStage
            ? OfferStageTestKit.PromptInput(new Dictionary<int, string> { [8] = ValueStackStageTests.ValidOutput })
            : ResearchSamples.Input(number - 1);

    private static void Collect(JsonNode node, string path, List<string> paths)
    {
        var children = node switch
        {
            JsonObject o => o.Select(p => (Key: (object)p.Key, Child: p.Value)),
            JsonArray a => a.Select((c, i) => (Key: (object)i, Child: c)),
            _ => [],
        };
        foreach (var (key, child) in children)
        {
            var childPath = key is int i ? $"{path}[{i}]" : path.Length == 0 ? (string)key : $"{path}.{key}";
            paths.Add(childPath);
            if (child is not null)
            {
                Collect(child, childPath, paths);
            }
        }
    }

    private static void SetNull(JsonNode root, string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        var parent = cut <= 0 ? root : Navigate(root, path[..cut]);
        var last = path[(cut < 0 ? 0 : cut)..].TrimStart('.');
        if (last.StartsWith('['))
        {
            parent.AsArray()[int.Parse(last[1..^1], CultureInfo.InvariantCulture)] = null;
        }
        else
        {
            parent[last] = null;
        }
    }

    private static JsonNode Navigate(JsonNode root, string path) =>
        Segments(path).Aggregate(root, (node, segment) => int.TryParse(segment, out var i) && node is JsonArray a ? a[i]! : node[segment]!);

    /// <summary>The schema of the node at <paramref name="path"/>: through properties for names, items for indexes.</summary>
    private static JsonObject? SchemaAt(JsonObject schema, string path) =>
        Segments(path).Aggregate<string, JsonObject?>(schema, (node, segment) =>
            int.TryParse(segment, out _) ? node?["items"] as JsonObject : node?["properties"]?[segment] as JsonObject);

    private static bool AllowsNull(JsonObject schema) =>
        schema["type"] is JsonArray types && types.Any(t => t!.GetValue<string>() == "null");

    private static IEnumerable<string> Segments(string path) => Regex.Matches(path, @"[^.\[\]]+").Select(m => m.Value);
}
