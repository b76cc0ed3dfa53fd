using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Relations between answer fields that the request states in words, kept as a model that reads them would keep them.
/// Each is read from the schema's descriptions or from a prompt sentence that names the field; none is assumed. A
/// relation the request does not state is not kept: the emulator knows nothing of the pipeline's validators.
/// <list type="bullet">
/// <item>"Sum of the bonuses' perceived values" (description), "total_x is the sum of the ..." (prompt): a total is the sum
/// of the named field over the named list.</item>
/// <item>"True for exactly one plan", "True for tier 2 only" (description), "Set is_recommended to true on exactly one
/// plan" (prompt): one item of a list carries the flag, the numbered one when a number is given.</item>
/// <item>"first tactical ($97-$297), then strategic ($497-$997)" (a list's description): the items' prices in those bands.</item>
/// <item>"3-5 times the price", "above the price" (description): a value as a multiple of its item's price.</item>
/// <item>"Tier 2 is priced at the desired price", "tier 1 costs 40-50% of tier 2 and tier 3 150-200% of it" (prompt): the
/// numbered items' prices, from a price the prompt's data gives and from each other.</item>
/// <item>"recommended_price must lie between $3,000 and $8,000" (prompt): a number inside the stated bounds.</item>
/// <item>"Recommend the option whose risk level is high" (prompt): a recommended_* number pointing at that option.</item>
/// <item>"value_to_price_ratio is the value stack total ($18,500) divided by your price ... N:1" (prompt).</item>
/// </list>
/// </summary>
internal sealed partial class StatedRelations(string prompt, ProfileData data, Random random)
{
    private const int MaxDepth = 24;

    private readonly IReadOnlyList<string> _sentences = Sentences(prompt);

    /// <summary>The sentences naming each field, found once per answer: a long prompt has thousands of sentences.</summary>
    private readonly Dictionary<string, List<string>> _naming = new(StringComparer.Ordinal);

    private List<string> Naming(string name)
    {
        if (!_naming.TryGetValue(name, out var sentences))
        {
            sentences = _sentences.Where(s => s.Contains(name, StringComparison.Ordinal) && Names(s, name)).ToList();
            _naming[name] = sentences;
        }
        return sentences;
    }

    public void Apply(JsonNode? answer, JsonObject schema) => Walk(answer, schema, schema, "root", 0);

    private void Walk(JsonNode? node, JsonNode? schemaNode, JsonObject root, string name, int depth)
    {
        var schema = SchemaInstanceGenerator.Resolve(schemaNode, root);
        if (schema is null || depth > MaxDepth)
        {
            return;
        }
        switch (node)
        {
            case JsonObject value when schema["properties"] is JsonObject properties:
                foreach (var (property, propertySchema) in properties)
                {
                    Walk(value[property], propertySchema, root, property, depth + 1);
                }
                // After the children: a total sees its list's final values.
                ApplyToObject(value, properties, root);
                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    Walk(item, schema["items"], root, name, depth + 1);
                }
                if (SchemaInstanceGenerator.Resolve(schema["items"], root)?["properties"] is JsonObject itemProperties)
                {
                    ApplyToItems(items.OfType<JsonObject>().ToList(), name, schema, itemProperties, root);
                }
                break;
        }
    }

    private void ApplyToItems(List<JsonObject> items, string listName, JsonObject arraySchema, JsonObject properties, JsonObject root)
    {
        if (items.Count == 0)
        {
            return;
        }
        var fields = properties
            .Select(p => (Name: p.Key, Schema: SchemaInstanceGenerator.Resolve(p.Value, root)!))
            .Where(p => p.Schema is not null)
            .ToList();
        var price = fields.FirstOrDefault(f => IsNumber(f.Schema) && IsPriceName(f.Name));

        // Per-item price bands stated in order by the list's description.
        var bands = DollarBand().Matches(Description(arraySchema)).Select(m => (Min: Money(m.Groups["min"].Value), Max: Money(m.Groups["max"].Value))).ToList();
        if (price.Name is not null && bands.Count >= 2 && bands.Count == items.Count)
        {
            for (var i = 0; i < items.Count; i++)
            {
                items[i][price.Name] = Number(Draw(bands[i].Min, bands[i].Max, price.Schema), price.Schema);
            }
        }

        if (price.Name is not null)
        {
            foreach (var (number, amount) in NumberedPrices(listName))
            {
                if (number >= 1 && number <= items.Count)
                {
                    items[number - 1][price.Name] = Number(Round(SchemaInstanceGenerator.NiceMoney(amount), price.Schema), price.Schema);
                }
            }
        }

        foreach (var (name, schema) in fields)
        {
            var description = Description(schema);
            if (SchemaInstanceGenerator.TypeOf(schema) == "boolean" && OnlyOne(name, description) is { } only)
            {
                var chosen = only.Number is { } n && n >= 1 && n <= items.Count ? n - 1 : random.Next(items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    items[i][name] = i == chosen;
                }
            }
            else if (IsNumber(schema) && price.Name is not null && name != price.Name && Multiple(description) is { } multiple)
            {
                foreach (var item in items)
                {
                    if (SchemaInstanceGenerator.DoubleOf(item[price.Name]) is { } itemPrice && itemPrice > 0)
                    {
                        var factor = multiple.Min + random.NextDouble() * (multiple.Max - multiple.Min);
                        item[name] = Number(Math.Max(Round(itemPrice * factor, schema), itemPrice + 1), schema);
                    }
                }
            }
        }
    }

    private void ApplyToObject(JsonObject value, JsonObject properties, JsonObject root)
    {
        var lists = value
            .Where(p => p.Value is JsonArray a && a.Count > 0 && a.All(i => i is JsonObject))
            .Select(p => (Name: p.Key, Items: (JsonArray)p.Value!))
            .ToList();
        foreach (var (name, node) in properties)
        {
            if (SchemaInstanceGenerator.Resolve(node, root) is not { } schema)
            {
                continue;
            }
            var said = string.Join(" ", Naming(name));
            if (IsNumber(schema))
            {
                if (SumOf(Description(schema), said, name) is { } words && Sum(words, lists) is { } sum)
                {
                    value[name] = Number(sum, schema);
                }
                else if (Between(said, name) is { } bounds && SchemaInstanceGenerator.DoubleOf(value[name]) is { } current && (current < bounds.Min || current > bounds.Max))
                {
                    value[name] = Number(Draw(bounds.Min, bounds.Max, schema), schema);
                }
                else if (name.StartsWith("recommended_", StringComparison.Ordinal) && SchemaInstanceGenerator.TypeOf(schema) == "integer"
                    && RecommendWhose().Match(prompt) is { Success: true } rule)
                {
                    var property = rule.Groups["property"].Value.Trim().Replace(' ', '_');
                    var wanted = rule.Groups["value"].Value;
                    var index = lists
                        .Select(list => list.Items.Select(item => item?[property] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                            && string.Equals(v.GetValue<string>(), wanted, StringComparison.OrdinalIgnoreCase)).ToList().IndexOf(true))
                        .FirstOrDefault(i => i >= 0, -1);
                    if (index >= 0)
                    {
                        var start = SchemaInstanceGenerator.DoubleOf(schema["minimum"]) is 0 ? 0 : 1;
                        value[name] = index + start;
                    }
                }
            }
            else if (SchemaInstanceGenerator.TypeOf(schema) == "string" && RatioOverPrice().Match(said) is { Success: true } ratio)
            {
                var price = value.Where(p => IsPriceName(p.Key)).Select(p => SchemaInstanceGenerator.DoubleOf(p.Value)).FirstOrDefault(p => p > 0);
                if (price is { } p)
                {
                    value[name] = $"{Math.Round(Money(ratio.Groups["amount"].Value) / p).ToString(CultureInfo.InvariantCulture)}:1";
                }
            }
        }
    }

    /// <summary>The words after "sum of" in a total's description, or in a prompt sentence that names the total.</summary>
    private static string? SumOf(string description, string said, string name)
    {
        if (SumWords().Match(description) is { Success: true } fromSchema)
        {
            return fromSchema.Groups["words"].Value;
        }
        return SumWords().Matches(said).FirstOrDefault(m => said.IndexOf(name, StringComparison.Ordinal) < m.Index) is { } fromPrompt
            ? fromPrompt.Groups["words"].Value
            : null;
    }

    /// <summary>The sum over the list and item field that share the most words with "the three order bump prices".</summary>
    private static double? Sum(string words, List<(string Name, JsonArray Items)> lists)
    {
        var wanted = Tokens(words);
        var best = (Score: 0, Total: 0.0);
        foreach (var (listName, items) in lists)
        {
            var listScore = Tokens(listName).Count(wanted.Contains);
            if (listScore == 0)
            {
                continue;
            }
            foreach (var (field, fieldValue) in (JsonObject)items[0]!)
            {
                var fieldScore = Tokens(field).Count(wanted.Contains);
                if (fieldScore == 0 || fieldValue is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || listScore + fieldScore <= best.Score)
                {
                    continue;
                }
                best = (listScore + fieldScore, items.Sum(i => SchemaInstanceGenerator.DoubleOf(i?[field]) ?? 0));
            }
        }
        return best.Score > 0 ? best.Total : null;
    }

    /// <summary>
    /// Prices the prompt gives numbered items of this list ("tier 2", "plan 1"): first those set to a price its data
    /// names ("is priced at the desired price"), then those set as a share of another ("tier 1 costs 40-50% of tier 2",
    /// "tier 3 150-200% of it", where "it" is the item the clause last named).
    /// </summary>
    private List<Match>? _pricedAt;

    /// <summary>Per sentence, its "tier N costs A-B% of ..." clauses: "it" refers back within one sentence only.</summary>
    private List<List<Match>>? _sharesOf;

    private Dictionary<int, double> NumberedPrices(string listName)
    {
        var listTokens = Tokens(listName);
        bool Ours(Match m) => listTokens.Contains(Stem(m.Groups["kind"].Value.ToLowerInvariant()));
        var prices = new Dictionary<int, double>();
        _pricedAt ??= _sentences.SelectMany(s => PricedAt().Matches(s)).ToList();
        _sharesOf ??= _sentences.Select(s => ShareOf().Matches(s).ToList()).Where(m => m.Count > 0).ToList();
        foreach (var match in _pricedAt.Where(Ours))
        {
            if (data.Find(match.Groups["label"].Value) is { } text && ProfileData.ParseMoney(DollarText().Match(text).Value) is { } amount && amount > 0)
            {
                prices[Int(match.Groups["n"])] = (double)amount;
            }
        }
        foreach (var shares in _sharesOf)
        {
            int? named = null;
            foreach (var match in shares.Where(Ours))
            {
                named = match.Groups["m"].Success ? Int(match.Groups["m"]) : named;
                if (named is { } of && prices.TryGetValue(of, out var basis))
                {
                    var (low, high) = (Percent(match.Groups["a"]), Percent(match.Groups["b"]));
                    prices[Int(match.Groups["n"])] = basis * (low + random.NextDouble() * (high - low)) / 100;
                }
            }
        }
        return prices;

        static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);
        static double Percent(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);
    }

    private sealed record Only(int? Number);

    /// <summary>Whether the flag belongs to one item only, and which one when a number is named ("tier 2 only").</summary>
    private Only? OnlyOne(string name, string description)
    {
        foreach (var text in Naming(name).Prepend(description))
        {
            if (!OnlyWords().IsMatch(text))
            {
                continue;
            }
            var numbered = NumberedItem().Match(text);
            return new Only(numbered.Success ? int.Parse(numbered.Groups["n"].Value, CultureInfo.InvariantCulture) : null);
        }
        return null;
    }

    private static (double Min, double Max)? Multiple(string description)
    {
        if (Times().Match(description) is { Success: true } times)
        {
            return (double.Parse(times.Groups["min"].Value, CultureInfo.InvariantCulture), double.Parse(times.Groups["max"].Value, CultureInfo.InvariantCulture));
        }
        return AbovePrice().IsMatch(description) ? (2, 4) : null;
    }

    private static (double Min, double Max)? Between(string said, string name) =>
        BetweenDollars().Matches(said).FirstOrDefault(m => said.IndexOf(name, StringComparison.Ordinal) < m.Index) is { } m
            ? (Money(m.Groups["min"].Value), Money(m.Groups["max"].Value))
            : null;

    private double Draw(double min, double max, JsonObject schema)
    {
        var value = min + (max - min) * (0.1 + random.NextDouble() * 0.3);
        var nice = SchemaInstanceGenerator.NiceMoney(value, min, max);
        return Round(nice, schema);
    }

    private static double Round(double value, JsonObject schema) =>
        SchemaInstanceGenerator.TypeOf(schema) == "integer" ? Math.Round(value) : Math.Round(value, 2);

    private static JsonValue Number(double value, JsonObject schema) =>
        SchemaInstanceGenerator.TypeOf(schema) == "integer" ? JsonValue.Create((long)Math.Round(value)) : JsonValue.Create(Math.Round(value, 2));

    private static bool IsNumber(JsonObject schema) => SchemaInstanceGenerator.TypeOf(schema) is "number" or "integer";

    private static bool IsPriceName(string name) =>
        (name == "price" || name.EndsWith("_price", StringComparison.Ordinal)) && !name.StartsWith("total_", StringComparison.Ordinal);

    private static string Description(JsonObject schema) =>
        schema["description"] is JsonValue d && d.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : "";

    /// <summary>Whether a sentence names the field as written in the schema (snake case, as the prompts quote it).</summary>
    private static bool Names(string sentence, string name) =>
        Regex.IsMatch(sentence, $@"(?<![\w]){Regex.Escape(name)}(?![\w])", RegexOptions.CultureInvariant);

    private static double Money(string text) =>
        double.Parse(text.Replace("$", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    /// <summary>The prompt split into sentences and clauses (". ", "; ", new lines), so each keeps its own subject.</summary>
    private static List<string> Sentences(string text) =>
        ClauseBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    /// <summary>Word stems: "bonuses'" and "bonus" both give "bonus", "prices" gives "price".</summary>
    private static HashSet<string> Tokens(string text) =>
        TokenSplit().Split(text.ToLowerInvariant()).Where(t => t.Length > 2 && t is not ("the" or "and" or "all")).Select(Stem).ToHashSet(StringComparer.Ordinal);

    private static string Stem(string word) =>
        word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
        : word.EndsWith("uses", StringComparison.Ordinal) || word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal) ? word[..^2]
        : word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) ? word[..^1]
        : word;

    [GeneratedRegex(@"\b(?<kind>tier|plan|option|package|level)\s+(?<n>\d+)\s+is priced at (?:the\s+)?(?<label>[a-z][\w ]*?price)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PricedAt();

    [GeneratedRegex(@"\b(?<kind>tier|plan|option|package|level)\s+(?<n>\d+)\s+(?:costs\s+|is\s+|at\s+)?(?<a>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?<b>\d+(?:\.\d+)?)\s*%\s+of\s+(?:(?:tier|plan|option|package|level)\s+(?<m>\d+)|it)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ShareOf();

    [GeneratedRegex(@"\$\s?\d[\d,]*(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex DollarText();

    [GeneratedRegex(@"(?:\.\s+|;\s*|\r?\n)", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseBreak();

    [GeneratedRegex(@"[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex TokenSplit();

    [GeneratedRegex(@"\bsum of (?<words>[^.;:()]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SumWords();

    [GeneratedRegex(@"\b(?:exactly one|only one|\w+ \d+ only|one \w+ only)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OnlyWords();

    [GeneratedRegex(@"\b(?:tier|plan|option|item|number)\s+(?<n>\d+)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NumberedItem();

    [GeneratedRegex(@"\$(?<min>\d[\d,]*)\s*(?:-|–|to)\s*\$?(?<max>\d[\d,]*)", RegexOptions.CultureInvariant)]
    private static partial Regex DollarBand();

    [GeneratedRegex(@"between (?<min>\$[\d,]+(?:\.\d+)?) and (?<max>\$[\d,]+(?:\.\d+)?)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BetweenDollars();

    [GeneratedRegex(@"(?<min>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?<max>\d+(?:\.\d+)?)\s*times\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Times();

    [GeneratedRegex(@"\babove (?:the|its) price\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AbovePrice();

    [GeneratedRegex(@"\((?<amount>\$[\d,]+(?:\.\d+)?)\)\s*divided by your price", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RatioOverPrice();

    [GeneratedRegex(@"recommend the option whose (?<property>[\w ]+?) is (?<value>[\w-]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RecommendWhose();
}
