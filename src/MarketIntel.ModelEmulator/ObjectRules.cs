using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Relations between fields that a schema cannot state but a good model keeps, applied after generation where cheap:
/// a <c>total_*</c> number equals the sum of the matching field of a sibling array, exactly one item of a list is
/// <c>is_recommended</c>, tiers are numbered 1..n, and a <c>recommended_*</c> number points at a real option.
/// </summary>
internal static class ObjectRules
{
    public static void ApplyToItems(JsonArray items, JsonObject? itemSchema, JsonObject root)
    {
        var objects = items.OfType<JsonObject>().ToList();
        if (objects.Count == 0 || itemSchema?["properties"] is not JsonObject properties)
        {
            return;
        }
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

    public static void Apply(JsonObject result, JsonObject schema, JsonObject root)
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
