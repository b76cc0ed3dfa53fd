using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Stages;

namespace MarketIntel.Pipeline.Tests;

/// <summary>Inputs and outputs shared by the stage tests.</summary>
internal static class TestData
{
    public static BusinessProfile Profile { get; } = new()
    {
        BusinessName = "Ashley Shaw Consulting",
        CurrentOfferDescription = "A six-month executive coaching programme for women in tech leadership: fortnightly 1:1 sessions, a visibility plan and quarterly stakeholder reviews.",
        Niche = "Executive coaching for women in tech leadership",
        SpecializationKeywords = "leadership, visibility, promotion",
        BusinessStage = "growth",
        RevenueRange = "100k-500k",
        PreferredMarketCategory = "wealth",
        TargetMarketHypothesis = "Senior women engineers aiming for director roles",
        TargetDemographics = "Women 32-48, senior engineers and managers at tech companies, household income $180k-$350k.",
        TargetPsychographics = "Ambitious, overlooked for promotion, value competence over self-promotion, short on time.",
        CurrentCustomersDescription = "",
        BiggestCustomerPainPoint = "They do director-level work but are passed over because leadership does not see their impact.",
        ServiceType = "coaching",
        DeliveryFormat = "hybrid",
        PricePointCurrent = "$12,000 for 6 months",
        DesiredPricePoint = "$25,000 for 6 months",
        OfferDuration = "6 months",
        UniqueMechanism = "The Strategic Visibility Framework: impact mapping, sponsor building and executive narrative.",
        CompetitorsOffers = "BetterUp ($3k-$5k/yr), Torch, The Muse coaching",
    };

    /// <summary>The offer form's test fill (docs/domain.md §8), with valid values.</summary>
    public static OfferPreferences Preferences { get; } = new()
    {
        StrategicPriorities = ["maximize_conversion_rate", "maximize_average_order_value", "build_trust_authority"],
        PrimaryTransformation = "From overworked and overlooked to a promoted tech leader who keeps evenings and weekends for family.",
        ProofAssetsAvailable = new ProofAssets { Testimonials = true, CaseStudies = true, Certifications = true },
        PricingStrategy = "value-based",
        ComfortablePriceRange = new PriceRange { Min = 5000, Max = 25000 },
        ProprietaryFrameworks = "Time Mastery System™, Executive Balance Framework",
        UniqueToolsResources = "Time audit tool, delegation templates, leadership workbook, video library",
        ExclusiveAccess = "Private Slack community, bi-weekly group calls, lifetime updates",
        GuaranteeRiskTolerance = "moderate",
        EmphasizeComponents = ["premium_bonuses", "results_guarantee"],
    };

    public static StageInput Input(IReadOnlyDictionary<int, string>? outputs = null) =>
        new(Profile, null, outputs ?? new Dictionary<int, string>());

    /// <summary>Input of an offer stage: the profile, the offer preferences and the given stage outputs.</summary>
    public static StageInput OfferInput(IReadOnlyDictionary<int, string>? outputs = null, OfferPreferences? preferences = null) =>
        new(Profile, preferences ?? Preferences, outputs ?? new Dictionary<int, string>());

    /// <summary>Parses, lets the test change one thing, and gives the JSON text back.</summary>
    public static string Mutate(string json, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    /// <summary>The node at a simple path such as <c>competitors[0].strengths</c> or <c>day_in_life.morning_routine</c>.</summary>
    public static JsonNode At(JsonNode root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            node = node[name] ?? throw new KeyNotFoundException(path);
            if (bracket >= 0)
            {
                node = node[int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
            }
        }
        return node;
    }

    /// <summary>Sets the value at <paramref name="path"/>; the last segment names a property or an array item ("options[1]").</summary>
    public static void Set(JsonNode root, string path, JsonNode? value)
    {
        var dot = path.LastIndexOf('.');
        var parent = dot < 0 ? root : At(root, path[..dot]);
        var last = path[(dot + 1)..];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            parent[last] = value;
        }
        else
        {
            parent[last[..bracket]]![int.Parse(last[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
    }

    /// <summary>Removes the property at <paramref name="path"/>.</summary>
    public static void Remove(JsonNode root, string path)
    {
        var dot = path.LastIndexOf('.');
        var parent = dot < 0 ? root : At(root, path[..dot]);
        parent.AsObject().Remove(path[(dot + 1)..]);
    }

    /// <summary>Shrinks or grows the array at <paramref name="path"/> to <paramref name="count"/> items, growing with
    /// copies of the last item made distinct where they are plain strings.</summary>
    public static void Resize(JsonNode root, string path, int count)
    {
        var array = At(root, path).AsArray();
        while (array.Count > count)
        {
            array.RemoveAt(array.Count - 1);
        }
        while (array.Count < count)
        {
            var copy = array[^1]!.DeepClone();
            array.Add(copy is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? JsonValue.Create($"{v.GetValue<string>()} {array.Count}")
                : copy);
        }
    }

    /// <summary>The same JSON with every string repeated <paramref name="times"/> times: a model that rambles in every field.</summary>
    public static string Verbose(string json, int times)
    {
        var node = JsonNode.Parse(json)!;
        Lengthen(node);
        return node.ToJsonString();

        void Lengthen(JsonNode current)
        {
            var children = current switch
            {
                JsonObject obj => obj.Select(p => (Node: p.Value, Set: (Action<JsonNode>)(v => obj[p.Key] = v))).ToList(),
                JsonArray array => array.Select((n, i) => (Node: n, Set: (Action<JsonNode>)(v => array[i] = v))).ToList(),
                _ => [],
            };
            foreach (var (child, set) in children)
            {
                if (child is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    set(JsonValue.Create(string.Join(' ', Enumerable.Repeat(value.GetValue<string>(), times)))!);
                }
                else if (child is not null)
                {
                    Lengthen(child);
                }
            }
        }
    }
}
