using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Relations between fields that a schema cannot state but a good model keeps, applied after generation where cheap:
/// a <c>total_*</c> number equals the sum of the matching field of a sibling array, exactly one item of a list is
/// <c>is_recommended</c>, tiers are numbered 1..n, and a <c>recommended_*</c> number points at a real option.
/// </summary>
internal static partial class ObjectRules
{
    /// <summary>A round, retail-looking dollar amount near <paramref name="value"/> ($1,497, $647, $23,000) inside the bounds.</summary>
    public static double Nice(double value, double? minimum = null, double? maximum = null)
    {
        var nice = value >= 10_000 ? Math.Round(value / 500) * 500
            : value >= 1_000 ? Math.Round(value / 100) * 100 - 3
            : value >= 100 ? Math.Round(value / 10) * 10 - 3
            : Math.Round(value);
        if ((minimum is { } min && nice < min) || (maximum is { } max && nice > max))
        {
            nice = Math.Round(value);
        }
        return Math.Clamp(nice, minimum ?? double.MinValue, maximum ?? double.MaxValue);
    }

    public static void ApplyToItems(JsonArray items, string arrayName, JsonObject arraySchema, JsonObject? itemSchema, JsonObject root, ProfileData profile)
    {
        var objects = items.OfType<JsonObject>().ToList();
        if (objects.Count == 0 || itemSchema?["properties"] is not JsonObject properties)
        {
            return;
        }
        ApplyPrices(objects, arrayName, arraySchema, properties, root, profile);
        var recommended = (objects.Count - 1) / 2;
        foreach (var (name, node) in properties)
        {
            var schema = SchemaInstanceGenerator.Resolve(node, root);
            if (schema is null)
            {
                continue;
            }
            var type = SchemaInstanceGenerator.TypeOf(schema);
            if (name == "is_recommended" && type == "boolean")
            {
                for (var i = 0; i < objects.Count; i++)
                {
                    objects[i][name] = i == recommended;
                }
            }
            else if (type == "integer" && (name.EndsWith("_number", StringComparison.Ordinal) || name is "tier" or "rank" or "step"))
            {
                for (var i = 0; i < objects.Count; i++)
                {
                    objects[i][name] = Clamp(i + 1, schema);
                }
            }
        }
    }

    private static readonly double[] TierShares = [0.45, 1.0, 1.75];
    private static readonly double[] PlanShares = [0.93, 1.12, 1.25, 1.3];

    /// <summary>
    /// Prices across the items of a list: numbered tiers at 45 %, 100 % and 175 % of the anchor price; payment plans from
    /// pay-in-full (cheapest) up; per-item dollar bands the list's description states ("first $97-$297, then $497-$997");
    /// and every item's value above its own price (the description's "3-5 times", else about four times).
    /// </summary>
    private static void ApplyPrices(List<JsonObject> objects, string arrayName, JsonObject arraySchema, JsonObject properties, JsonObject root, ProfileData profile)
    {
        var numbers = properties
            .Select(p => (Name: p.Key, Schema: SchemaInstanceGenerator.Resolve(p.Value, root)))
            .Where(p => p.Schema is not null && SchemaInstanceGenerator.TypeOf(p.Schema) is "number" or "integer")
            .Select(p => (p.Name, Schema: p.Schema!))
            .ToList();
        var price = numbers.FirstOrDefault(n => (n.Name == "price" || n.Name.EndsWith("_price", StringComparison.Ordinal) || n.Name.EndsWith("_cost", StringComparison.Ordinal))
            && !n.Name.StartsWith("total_", StringComparison.Ordinal) && !n.Name.Contains("value", StringComparison.Ordinal));
        var total = numbers.FirstOrDefault(n => n.Name.StartsWith("total_", StringComparison.Ordinal));
        var anchor = (double)profile.AnchorPrice;
        var tiered = numbers.Any(n => n.Name.EndsWith("_number", StringComparison.Ordinal) || n.Name == "tier");
        var description = arraySchema["description"] is JsonValue d && d.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : "";
        var bands = DollarBand().Matches(description).Select(m => (Min: ParseDollars(m.Groups["min"].Value), Max: ParseDollars(m.Groups["max"].Value))).ToList();

        for (var i = 0; i < objects.Count; i++)
        {
            double? set = null;
            var field = price;
            if (price.Name is not null && tiered && i < TierShares.Length)
            {
                set = anchor * TierShares[i];
            }
            else if (arrayName.Contains("plan", StringComparison.Ordinal) && (total.Name ?? price.Name) is { } planField)
            {
                field = total.Name is not null ? total : price;
                set = anchor * PlanShares[Math.Min(i, PlanShares.Length - 1)];
                _ = planField;
            }
            else if (price.Name is not null && bands.Count >= objects.Count)
            {
                set = bands[i].Min + (bands[i].Max - bands[i].Min) * 0.3;
            }
            if (set is { } amount && field.Name is not null)
            {
                var value = Nice(amount, SchemaInstanceGenerator.DoubleOf(field.Schema["minimum"]), SchemaInstanceGenerator.DoubleOf(field.Schema["maximum"]));
                objects[i][field.Name] = Number(value, field.Schema);
            }
        }

        if (price.Name is null)
        {
            return;
        }
        foreach (var (name, schema) in numbers.Where(n => n.Name.Contains("value", StringComparison.Ordinal) && !n.Name.StartsWith("total_", StringComparison.Ordinal)))
        {
            var text = schema["description"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "";
            var multiple = Times().Match(text) is { Success: true } m
                ? (double.Parse(m.Groups["min"].Value, System.Globalization.CultureInfo.InvariantCulture) + double.Parse(m.Groups["max"].Value, System.Globalization.CultureInfo.InvariantCulture)) / 2
                : 4;
            foreach (var item in objects)
            {
                if (SchemaInstanceGenerator.DoubleOf(item[price.Name]) is { } itemPrice && itemPrice > 0)
                {
                    var value = Nice(itemPrice * multiple, SchemaInstanceGenerator.DoubleOf(schema["minimum"]), SchemaInstanceGenerator.DoubleOf(schema["maximum"]));
                    item[name] = Number(Math.Max(value, Math.Min(itemPrice + 1, SchemaInstanceGenerator.DoubleOf(schema["maximum"]) ?? double.MaxValue)), schema);
                }
            }
        }
    }

    private static JsonValue Number(double value, JsonObject schema) =>
        SchemaInstanceGenerator.TypeOf(schema) == "integer" ? JsonValue.Create((long)Math.Round(value)) : JsonValue.Create(value);

    private static double ParseDollars(string text) =>
        double.Parse(text.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(@"\$(?<min>\d[\d,]*)\s*(?:-|–|to)\s*\$?(?<max>\d[\d,]*)", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DollarBand();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<min>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?<max>\d+(?:\.\d+)?)\s*times", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex Times();

    public static void Apply(JsonObject result, JsonObject schema, JsonObject root, ProfileData profile)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }
        var arrays = result
            .Where(p => p.Value is JsonArray a && a.Count > 0 && a.All(i => i is JsonObject))
            .Select(p => (Name: p.Key, Items: (JsonArray)p.Value!))
            .ToList();
        if (arrays.Count == 0)
        {
            return;
        }
        foreach (var (name, node) in properties)
        {
            if (SchemaInstanceGenerator.Resolve(node, root) is not { } propertySchema)
            {
                continue;
            }
            var type = SchemaInstanceGenerator.TypeOf(propertySchema);
            if (type is not ("integer" or "number"))
            {
                continue;
            }
            if (name.StartsWith("total_", StringComparison.Ordinal) && Sum(name["total_".Length..], arrays) is { } sum)
            {
                var value = type == "integer" ? Math.Round(sum) : Math.Round(sum, 2);
                if (Within(value, propertySchema))
                {
                    result[name] = type == "integer" ? JsonValue.Create((long)value) : JsonValue.Create(value);
                }
            }
            else if (name.StartsWith("recommended_", StringComparison.Ordinal) && type == "integer")
            {
                var rest = name["recommended_".Length..];
                var (_, items) = arrays
                    .OrderByDescending(a => (SharesToken(a.Name, rest) ? 2 : 0) + (a.Items.Any(i => i?["is_recommended"] is not null) ? 1 : 0))
                    .First();
                var index = items.Select((item, i) => (item, i))
                    .FirstOrDefault(x => x.item?["is_recommended"] is JsonValue v && v.GetValueKind() == JsonValueKind.True).i;
                if (!items.Any(item => item?["is_recommended"] is not null))
                {
                    index = (items.Count - 1) / 2;
                }
                // "Recommend the option whose risk level is high": the prompt names the option by one of its values.
                if (profile.RecommendationRule is { } rule)
                {
                    var property = rule.Property.Trim().Replace(' ', '_');
                    var match = items.Select((item, i) => (item, i))
                        .FirstOrDefault(x => x.item?[property] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                            && string.Equals(v.GetValue<string>(), rule.Value, StringComparison.OrdinalIgnoreCase));
                    if (match.item is not null)
                    {
                        index = match.i;
                    }
                }
                var start = SchemaInstanceGenerator.DoubleOf(propertySchema["minimum"]) is 0 ? 0 : 1;
                result[name] = Clamp(index + start, propertySchema);
            }
        }
    }

    /// <summary>The sum of the best-matching numeric field over the best-matching sibling array, if any matches.</summary>
    private static double? Sum(string rest, List<(string Name, JsonArray Items)> arrays)
    {
        var best = (Score: 0, Total: 0.0);
        foreach (var (arrayName, items) in arrays)
        {
            var fields = ((JsonObject)items[0]!)
                .Where(f => f.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                .Select(f => f.Key);
            foreach (var field in fields)
            {
                var fieldScore = rest.EndsWith(field, StringComparison.Ordinal) ? 3
                    : IsMoney(field) && (rest.Contains("value", StringComparison.Ordinal) || rest.Contains("revenue", StringComparison.Ordinal) || rest.Contains("price", StringComparison.Ordinal)) ? 1
                    : 0;
                if (fieldScore == 0)
                {
                    continue;
                }
                var score = fieldScore + (SharesToken(arrayName, rest) ? 2 : 0);
                if (score > best.Score)
                {
                    var total = items.Sum(i => SchemaInstanceGenerator.DoubleOf(i?[field]) ?? 0);
                    best = (score, total);
                }
            }
        }
        return best.Score > 0 ? best.Total : null;
    }

    private static bool IsMoney(string field) =>
        field.Contains("price", StringComparison.Ordinal) || field.Contains("value", StringComparison.Ordinal) || field.Contains("revenue", StringComparison.Ordinal);

    /// <summary>"bonuses" and "bonus_value" share "bonus"; "order_bumps" and "order_bump_revenue_potential" share "order".</summary>
    private static bool SharesToken(string arrayName, string rest)
    {
        var restTokens = rest.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Where(r => r is not ("value" or "price" or "total")).Select(Stem).ToHashSet(StringComparer.Ordinal);
        return arrayName.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(Stem).Any(t => t.Length > 2 && restTokens.Contains(t));
    }

    private static string Stem(string word)
    {
        word = word.ToLowerInvariant();
        return word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
            : word.EndsWith("uses", StringComparison.Ordinal) || word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal) ? word[..^2]
            : word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) ? word[..^1]
            : word;
    }

    private static bool Within(double value, JsonObject schema) =>
        (SchemaInstanceGenerator.DoubleOf(schema["minimum"]) is not { } min || value >= min)
        && (SchemaInstanceGenerator.DoubleOf(schema["maximum"]) is not { } max || value <= max);

    private static JsonValue Clamp(long value, JsonObject schema)
    {
        if (SchemaInstanceGenerator.DoubleOf(schema["minimum"]) is { } min && value < min)
        {
            value = (long)Math.Ceiling(min);
        }
        if (SchemaInstanceGenerator.DoubleOf(schema["maximum"]) is { } max && value > max)
        {
            value = (long)Math.Floor(max);
        }
        return JsonValue.Create(value);
    }
}
