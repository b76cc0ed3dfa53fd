using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator.Tests;

public sealed class SchemaInstanceGeneratorTests
{
    internal static JsonObject RichSchema() => (JsonObject)JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "offer_name": { "type": "string", "minLength": 1 },
            "market_growth_rate": { "type": "string", "minLength": 1 },
            "market_size_2024": { "type": "string", "minLength": 1 },
            "positioning": { "type": "string", "minLength": 80 },
            "short_label": { "type": "string", "minLength": 1, "maxLength": 30 },
            "stage": { "type": "string", "enum": ["launch", "growth", "mature"] },
            "difficulty_score": { "type": "integer", "minimum": 1, "maximum": 10 },
            "confidence": { "type": "number", "minimum": 0.5, "maximum": 0.9 },
            "optional_note": { "type": ["string", "null"] },
            "targeting": {
              "type": "object",
              "properties": {
                "targeting_interests": { "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 3, "maxItems": 8 },
                "platform_fit": { "type": "string", "minLength": 1 },
                "nested": {
                  "type": "object",
                  "properties": { "depth_score": { "type": "integer", "minimum": 40, "maximum": 42 } },
                  "required": ["depth_score"],
                  "additionalProperties": false
                }
              },
              "required": ["targeting_interests", "platform_fit", "nested"],
              "additionalProperties": false
            },
            "core_components": {
              "type": "array",
              "minItems": 3,
              "maxItems": 5,
              "items": {
                "type": "object",
                "properties": {
                  "name": { "type": "string", "minLength": 1 },
                  "perceived_value": { "type": "integer", "minimum": 100, "maximum": 2000 },
                  "format": { "type": "string", "enum": ["video", "live call", "template"] }
                },
                "required": ["name", "perceived_value", "format"],
                "additionalProperties": false
              }
            },
            "bonuses": {
              "type": "array",
              "minItems": 2,
              "maxItems": 2,
              "items": { "$ref": "#/$defs/bonus" }
            },
            "tiers": {
              "type": "array",
              "minItems": 3,
              "maxItems": 3,
              "items": {
                "type": "object",
                "properties": {
                  "tier_number": { "type": "integer", "minimum": 1, "maximum": 3 },
                  "price": { "type": "number" },
                  "is_recommended": { "type": "boolean" },
                  "deliverables": { "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 4 }
                },
                "required": ["tier_number", "price", "is_recommended", "deliverables"],
                "additionalProperties": false
              }
            },
            "total_perceived_value": { "type": "integer" },
            "total_bonus_value": { "type": "integer" },
            "recommended_option": { "type": "integer", "minimum": 1, "maximum": 3 }
          },
          "required": ["offer_name", "market_growth_rate", "market_size_2024", "positioning", "short_label", "stage",
                       "difficulty_score", "confidence", "optional_note", "targeting", "core_components", "bonuses", "tiers",
                       "total_perceived_value", "total_bonus_value", "recommended_option"],
          "additionalProperties": false,
          "$defs": {
            "bonus": {
              "type": "object",
              "properties": {
                "bonus_name": { "type": "string", "minLength": 1 },
                "perceived_value": { "type": "integer", "minimum": 50, "maximum": 500 }
              },
              "required": ["bonus_name", "perceived_value"],
              "additionalProperties": false
            }
          }
        }
        """)!;

    private static ProfileData Profile() => ProfileData.Parse(Requests.BusinessProfile);

    [Fact]
    public void Instances_satisfy_every_constraint_for_many_seeds()
    {
        var schema = RichSchema();
        var counts = new HashSet<int>();
        for (var seed = 0; seed < 200; seed++)
        {
            var instance = new SchemaInstanceGenerator(new Random(seed), Profile()).Generate(schema);
            var errors = SchemaChecker.Check(instance, schema);
            Assert.True(errors.Count == 0, $"seed {seed}: {string.Join("; ", errors)}\n{instance}");
            counts.Add(instance!["core_components"]!.AsArray().Count);
        }
        // Counts vary, in the lower middle of the range: complete, yet compact enough for the output budget.
        Assert.Equal([3, 4], counts.Order());
    }

    [Fact]
    public void The_same_seed_gives_the_same_instance()
    {
        var first = new SchemaInstanceGenerator(new Random(11), Profile()).Generate(RichSchema());
        var second = new SchemaInstanceGenerator(new Random(11), Profile()).Generate(RichSchema());
        Assert.True(JsonNode.DeepEquals(first, second));
    }

    [Fact]
    public void Strings_are_written_from_the_business_profile()
    {
        var schema = Requests.FlatSchema(12);
        var instance = new SchemaInstanceGenerator(new Random(3), Profile()).Generate(schema)!.AsObject();
        var strings = instance.Select(p => p.Value!.GetValue<string>()).ToList();
        Assert.Contains(strings, s => s.Contains("executive coaching for women in tech leadership", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(strings, s => s.Contains("Ashley Shaw Consulting", StringComparison.Ordinal));
        Assert.All(strings, s =>
        {
            var words = s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.InRange(words, 8, 20);
            Assert.DoesNotMatch(SchemaChecker.Placeholder(), s);
        });
        Assert.DoesNotContain("(not provided)", string.Join(" ", strings), StringComparison.Ordinal);
    }

    [Fact]
    public void Property_names_choose_the_kind_of_text()
    {
        var schema = (JsonObject)JsonNode.Parse("""
            {"type":"object","properties":{
              "desired_price":{"type":"string"}, "pain_point_1_quote":{"type":"string"}, "avatar_name":{"type":"string"},
              "market_growth_rate":{"type":"string"}, "market_size_2024":{"type":"string"}, "business_name":{"type":"string"}}}
            """)!;
        var instance = new SchemaInstanceGenerator(new Random(1), Profile()).Generate(schema)!;
        Assert.Equal("$5,000", instance["desired_price"]!.GetValue<string>());
        Assert.StartsWith("I", instance["pain_point_1_quote"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches(@"^[A-Z][a-z]+ [A-Z][a-z]+$", instance["avatar_name"]!.GetValue<string>());
        Assert.Matches(@"^\d+\.\d% annually \(2024-2025\)$", instance["market_growth_rate"]!.GetValue<string>());
        Assert.Matches(@"^\$\d\.\d billion$", instance["market_size_2024"]!.GetValue<string>());
        Assert.Equal("Ashley Shaw Consulting", instance["business_name"]!.GetValue<string>());
    }

    [Fact]
    public void Relations_the_request_does_not_state_are_not_kept()
    {
        var totalsDiffer = false;
        var flags = new HashSet<string>();
        for (var seed = 0; seed < 50; seed++)
        {
            var instance = new SchemaInstanceGenerator(new Random(seed), Profile()).Generate(RichSchema())!;
            var components = instance["core_components"]!.AsArray();
            totalsDiffer |= components.Sum(c => c!["perceived_value"]!.GetValue<long>()) != instance["total_perceived_value"]!.GetValue<long>();
            flags.Add(string.Join(",", instance["tiers"]!.AsArray().Select(t => t!["is_recommended"]!.GetValue<bool>())));
            // Numbering the items of a list in order is how anyone numbers tiers; it needs no instruction.
            Assert.Equal([1L, 2L, 3L], instance["tiers"]!.AsArray().Select(t => t!["tier_number"]!.GetValue<long>()));
            Assert.Equal(components.Count, components.Select(c => c!["name"]!.GetValue<string>()).Distinct().Count());
        }
        // Nothing says the total is a sum or that only one tier is recommended, so the emulator does not make them so.
        Assert.True(totalsDiffer, "a total nobody asked to be a sum came out as the sum for every seed");
        Assert.DoesNotContain("false,true,false", flags);
    }

    [Fact]
    public void Leaf_fields_are_counted_through_nested_objects_and_arrays()
    {
        Assert.Equal(3, SchemaInstanceGenerator.CountLeafFields(Requests.SmallSchema()));
        Assert.Equal(45, SchemaInstanceGenerator.CountLeafFields(Requests.FlatSchema(45)));
        // 9 top-level leaves + targeting (2 + 1) + core components (3) + bonus (2 via $ref) + tiers (4) + 3 totals/recommended.
        Assert.Equal(24, SchemaInstanceGenerator.CountLeafFields(RichSchema()));
    }

    [Fact]
    public void Data_blocks_are_parsed_into_labelled_values()
    {
        var profile = ProfileData.Parse(Requests.BusinessProfile + "\n<data name=\"stage_1\">\n{\"market_growth_rate\":\"9% a year\"}\n</data>");
        Assert.Equal("Ashley Shaw Consulting", profile.BusinessName);
        Assert.Equal("Executive coaching for women in tech leadership", profile.Niche);
        Assert.Equal("$5,000", profile.Price);
        Assert.Null(profile.Find("delivery format"));
        Assert.Equal("9% a year", profile.Blocks["stage_1"]["market growth rate"]);
    }
}
