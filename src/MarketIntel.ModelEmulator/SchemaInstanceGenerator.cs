using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Makes a JSON instance of a JSON schema: every property (required or not), array lengths inside minItems/maxItems,
/// numbers inside minimum/maximum, enum members, strings of at least minLength, the non-null branch of nullable types,
/// local <c>$ref</c>s and the first branch of anyOf/oneOf. Strings come from <see cref="TextComposer"/>. Relations between
/// fields are not kept here: <see cref="StatedRelations"/> keeps those the request states. With a <see cref="Realism"/>,
/// list lengths are sometimes off by one and dollar amounts are drawn independently of each other.
/// </summary>
internal sealed class SchemaInstanceGenerator
{
    private const int MaxDepth = 24;

    private readonly Random _random;
    private readonly TextComposer _text;
    private readonly ProfileData _profile;
    private JsonObject _root = new();

    /// <summary>The innermost array being filled: the item's position and the array's length.</summary>
    private readonly Stack<(int Index, int Count)> _items = new();

    public SchemaInstanceGenerator(Random random, ProfileData profile, bool compact = false, Realism? realism = null)
    {
        _random = random;
        _profile = profile;
        _compact = compact;
        _realism = realism;
        _text = new TextComposer(random, profile) { Compact = compact };
    }

    /// <summary>Write as tightly as the schema allows: the fewest items, the shortest narratives (a tight output budget).</summary>
    private readonly bool _compact;

    private readonly Realism? _realism;

    public JsonNode? Generate(JsonObject schema)
    {
        _root = schema;
        return Generate(schema, "root", [], 0, 0);
    }

    /// <summary>Whether a node looks like a JSON schema of an object (has "type" or "properties").</summary>
    public static bool LooksLikeSchema(JsonNode? node) =>
        node is JsonObject o && (o.ContainsKey("properties") || o["type"] is not null);

    /// <summary>The number of leaf (non-object) fields; an array of objects counts its item's fields once.</summary>
    public static int CountLeafFields(JsonObject schema) => CountLeaves(schema, schema, 0);

    private static int CountLeaves(JsonNode? node, JsonObject root, int depth)
    {
        var schema = Resolve(node, root);
        if (schema is null || depth > MaxDepth)
        {
            return 1;
        }
        if (schema["properties"] is JsonObject properties)
        {
            return properties.Sum(p => CountLeaves(p.Value, root, depth + 1));
        }
        if (TypeOf(schema) == "array" && Resolve(schema["items"], root) is { } items && items["properties"] is JsonObject)
        {
            return CountLeaves(items, root, depth + 1);
        }
        return 1;
    }

    private JsonNode? Generate(JsonNode? node, string name, List<string> path, int index, int depth)
    {
        var schema = Resolve(node, _root);
        if (schema is null)
        {
            return JsonValue.Create(_text.Compose(name, path, index));
        }
        if (schema["const"] is { } constant)
        {
            return constant.DeepClone();
        }
        if (schema["enum"] is JsonArray { Count: > 0 } options)
        {
            var nonNull = options.Where(o => o is not null).ToList();
            if (nonNull.Count == 0)
            {
                return null;
            }
            // Across the items of a list a good model covers the options evenly, in their order: with as many items as
            // options each once, with more items in equal blocks.
            if (depth > 0 && _items.TryPeek(out var slot) && slot.Index >= 0)
            {
                var choice = slot.Count <= nonNull.Count ? slot.Index % nonNull.Count : slot.Index * nonNull.Count / slot.Count;
                return nonNull[choice]!.DeepClone();
            }
            return nonNull[_random.Next(nonNull.Count)]!.DeepClone();
        }
        if (depth > MaxDepth)
        {
            return JsonValue.Create(_text.Compose(name, path, index));
        }
        return TypeOf(schema) switch
        {
            "object" => GenerateObject(schema, name, path, depth),
            "array" => GenerateArray(schema, name, path, depth),
            "integer" => JsonValue.Create((long)GenerateNumber(schema, name, integer: true)),
            "number" => JsonValue.Create(GenerateNumber(schema, name, integer: false)),
            // Flags alternate across the items of a list, so a list is never all one kind.
            "boolean" => JsonValue.Create(_items.TryPeek(out var item) && item.Index >= 0 ? item.Index % 2 == 0 : _random.Next(2) == 0),
            "null" => null,
            _ => JsonValue.Create(GenerateString(schema, name, path, index)),
        };
    }

    private JsonObject GenerateObject(JsonObject schema, string name, List<string> path, int depth)
    {
        var result = new JsonObject();
        path.Add(name);
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (property, propertySchema) in properties)
            {
                result[property] = Generate(propertySchema, property, path, 0, depth + 1);
            }
        }
        if (schema["required"] is JsonArray required)
        {
            foreach (var property in required.Select(r => r?.GetValue<string>()).OfType<string>().Where(p => !result.ContainsKey(p)))
            {
                result[property] = JsonValue.Create(_text.Compose(property, path, 0));
            }
        }
        path.RemoveAt(path.Count - 1);
        return result;
    }

    private JsonArray GenerateArray(JsonObject schema, string name, List<string> path, int depth)
    {
        var min = IntOf(schema["minItems"]) ?? 0;
        var max = IntOf(schema["maxItems"]);
        int count;
        if (max is { } upper)
        {
            // Near the lower middle of the range: complete, and compact enough to fit the output budget.
            var lower = Math.Min(schema["minItems"] is null ? Math.Min(3, upper) : min, upper);
            count = _compact ? lower : lower + _random.Next((upper - lower + 1) / 3 + 1);
        }
        else
        {
            count = schema["minItems"] is null ? 3 : _compact ? min : _random.Next(min, min + 3);
        }
        if (_realism is { } realism && _random.NextDouble() < realism.ListOffByOneRate)
        {
            // Real models miscount: "exactly 5" comes back as 4 or 6 now and then, whatever the schema says.
            count += count <= 1 || _random.Next(2) == 0 ? 1 : -1;
        }

        var itemName = Singular(name);
        var items = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        path.Add(name);
        for (var i = 0; i < count; i++)
        {
            _items.Push((i, count));
            var previous = _text.ItemIndex;
            _text.ItemIndex = i;
            var item = Generate(schema["items"], itemName, path, i, depth + 1);
            // Repeated strings read as a lazy model and break uniqueItems: try a few times for a new one.
            for (var attempt = 0; attempt < 8 && item is JsonValue && !seen.Add(item.ToJsonString()); attempt++)
            {
                item = Generate(schema["items"], itemName, path, i + attempt + 1, depth + 1);
            }
            _text.ItemIndex = previous;
            _items.Pop();
            items.Add(item);
        }
        path.RemoveAt(path.Count - 1);
        return items;
    }

    private string GenerateString(JsonObject schema, string name, List<string> path, int index)
    {
        var format = schema["format"]?.GetValue<string>();
        var text = format switch
        {
            "date-time" => "2025-03-14T09:30:00Z",
            "date" => "2025-03-14",
            "email" => "hello@example.com",
            "uri" or "url" => "https://www.example.com",
            _ => _text.ComposeFor(name, path, index, schema["description"]?.GetValue<string>()),
        };
        var minLength = IntOf(schema["minLength"]) ?? 0;
        var guard = 0;
        while (text.Length < minLength && guard++ < 50)
        {
            text = $"{text} {_text.Sentence(TextComposer.Humanize(name), _random.Next(1000))}";
        }
        if (IntOf(schema["maxLength"]) is { } maxLength && text.Length > maxLength)
        {
            var cut = text[..maxLength];
            var space = cut.LastIndexOf(' ');
            text = (space > maxLength / 2 ? cut[..space] : cut).TrimEnd(',', ';', ':', ' ');
        }
        return text;
    }

    private double GenerateNumber(JsonObject schema, string name, bool integer)
    {
        var minimum = DoubleOf(schema["minimum"]);
        var maximum = DoubleOf(schema["maximum"]);
        if (DoubleOf(schema["exclusiveMinimum"]) is { } exclusiveMin)
        {
            minimum = integer ? Math.Floor(exclusiveMin) + 1 : exclusiveMin + 0.01;
        }
        if (DoubleOf(schema["exclusiveMaximum"]) is { } exclusiveMax)
        {
            maximum = integer ? Math.Ceiling(exclusiveMax) - 1 : exclusiveMax - 0.01;
        }

        var (low, high, money) = Heuristic(name);
        double lo, hi;
        if (minimum is { } mn && maximum is { } mx)
        {
            (lo, hi) = (mn, Math.Max(mn, mx));
        }
        else if (minimum is { } onlyMin)
        {
            (lo, hi) = (Math.Max(onlyMin, low), Math.Max(onlyMin, low) + (high - low));
        }
        else if (maximum is { } onlyMax)
        {
            (lo, hi) = (Math.Min(low, onlyMax), Math.Min(high, onlyMax));
        }
        else
        {
            (lo, hi) = (low, high);
        }

        if (money)
        {
            return Money(name, minimum, maximum);
        }
        if (integer && _items.TryPeek(out var slot) && slot.Index >= 0 && IsOrdinal(name))
        {
            // A list's items are numbered in order, as anyone numbering tiers, steps or options does.
            return Math.Clamp(slot.Index + 1, lo, Math.Max(lo, hi));
        }
        if (integer)
        {
            var a = (long)Math.Ceiling(lo);
            var b = (long)Math.Floor(hi);
            return b < a ? a : a + (long)Math.Floor(_random.NextDouble() * (b - a + 1));
        }
        var value = Math.Round(lo + _random.NextDouble() * (hi - lo), 1);
        return Math.Clamp(value, lo, hi);
    }

    private static bool IsOrdinal(string name) =>
        name.EndsWith("_number", StringComparison.Ordinal) || name is "number" or "tier" or "rank" or "step" or "position";

    /// <summary>
    /// A dollar amount as a careful model sets it: inside a narrow stated range, in its lower part; otherwise relative to
    /// the price the prompt gives for the business (a price is that price, a part's value a share of it). A realistic
    /// model draws each amount on its own around that price, keeping no relation the request does not state.
    /// </summary>
    private double Money(string name, double? minimum, double? maximum)
    {
        double value;
        if (minimum is { } mn && maximum is { } mx && mn > 0 && mx / mn <= 50)
        {
            value = mn + (mx - mn) * (0.1 + _random.NextDouble() * 0.2);
        }
        else if (_realism is not null)
        {
            value = (double)_profile.AnchorPrice * Math.Exp(Math.Log(0.4) + _random.NextDouble() * Math.Log(2.5 / 0.4));
        }
        else
        {
            var anchor = (double)_profile.AnchorPrice;
            var tokens = TextComposer.Tokens(name);
            var inList = _items.Count > 0;
            value = tokens.Contains("value") || tokens.Contains("worth")
                ? anchor * (inList ? 0.6 + _random.NextDouble() * 0.4 : 4)
                : anchor;
        }
        return NiceMoney(Math.Clamp(value, minimum ?? double.MinValue, maximum ?? double.MaxValue), minimum, maximum);
    }

    /// <summary>A round, retail-looking dollar amount near <paramref name="value"/> ($1,497, $647, $23,000) inside the bounds.</summary>
    public static double NiceMoney(double value, double? minimum = null, double? maximum = null)
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

    private static (double Low, double High, bool Money) Heuristic(string name)
    {
        var tokens = TextComposer.Tokens(name);
        bool Has(params string[] any) => any.Any(tokens.Contains);
        if (Has("price", "value", "cost", "fee", "revenue", "amount", "income", "spend", "spending", "budget", "ltv", "payment", "investment"))
        {
            return (97, 4997, true);
        }
        if (Has("percent", "percentage", "rate", "conversion", "share"))
        {
            return (5, 45, false);
        }
        if (Has("score", "intensity", "rating", "level", "difficulty"))
        {
            return (1, 10, false);
        }
        if (Has("age"))
        {
            return (28, 55, false);
        }
        if (Has("year"))
        {
            return (2025, 2026, false);
        }
        if (Has("count", "number", "quantity", "months", "weeks", "days", "duration", "installments", "payments", "spots", "seats"))
        {
            return (2, 12, false);
        }
        return (1, 100, false);
    }

    /// <summary>The schema a node stands for: local <c>$ref</c>s followed, the first non-null anyOf/oneOf branch taken.</summary>
    internal static JsonObject? Resolve(JsonNode? node, JsonObject root)
    {
        for (var hops = 0; hops < 16 && node is JsonObject schema; hops++)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                node = ResolvePointer(reference, root);
                continue;
            }
            if ((schema["anyOf"] ?? schema["oneOf"]) is JsonArray { Count: > 0 } branches && schema["type"] is null && schema["properties"] is null)
            {
                node = branches.FirstOrDefault(b => b is JsonObject o && TypeOf(Resolve(o, root) ?? o) != "null") ?? branches[0];
                continue;
            }
            return WithDescribedKeywords(schema);
        }
        return node as JsonObject;
    }

    private static readonly string[] DescribedKeywords =
        ["minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "format"];

    /// <summary>
    /// Keywords that strict structured output does not allow are moved by Microsoft.Extensions.AI's OpenAI client into the
    /// description, one "keyword: value" per line ("minItems: 3\nmaxItems: 5"). A model reads them there, and so do we.
    /// </summary>
    private static JsonObject WithDescribedKeywords(JsonObject schema)
    {
        if (schema["description"] is not JsonValue description || description.GetValueKind() != JsonValueKind.String)
        {
            return schema;
        }
        JsonObject? merged = null;
        foreach (var line in description.GetValue<string>().Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var keyword = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (!DescribedKeywords.Contains(keyword, StringComparer.Ordinal) || schema.ContainsKey(keyword))
            {
                continue;
            }
            merged ??= (JsonObject)schema.DeepClone();
            merged[keyword] = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : JsonValue.Create(value);
        }
        return merged ?? schema;
    }

    private static JsonNode? ResolvePointer(string reference, JsonObject root)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }
        JsonNode? current = root;
        foreach (var raw in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return current;
    }

    /// <summary>The schema's type, the non-null one of a nullable type list, or one inferred from its keywords.</summary>
    internal static string TypeOf(JsonObject schema)
    {
        switch (schema["type"])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            case JsonArray types:
                var names = types.Select(t => t?.GetValue<string>()).OfType<string>().ToList();
                return names.FirstOrDefault(t => t != "null") ?? "null";
        }
        if (schema.ContainsKey("properties"))
        {
            return "object";
        }
        if (schema.ContainsKey("items"))
        {
            return "array";
        }
        return "string";
    }

    internal static int? IntOf(JsonNode? node) => DoubleOf(node) is { } d ? (int)Math.Min(d, int.MaxValue) : null;

    /// <summary>A number node's value, whether it was parsed from text or created from a long or a double.</summary>
    internal static double? DoubleOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static string Singular(string name) =>
        name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y"
        : name.EndsWith("sses", StringComparison.Ordinal) || name.EndsWith("uses", StringComparison.Ordinal) || name.EndsWith("xes", StringComparison.Ordinal) ? name[..^2]
        : name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) ? name[..^1]
        : name;
}
