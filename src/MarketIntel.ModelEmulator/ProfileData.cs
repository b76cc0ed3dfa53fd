using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// The facts a prompt gives about the business: every <c>Label: value</c> line of every <c>&lt;data name="..."&gt;</c>
/// block. Generated text is woven from these values, so that answers read as if they were about the business asked about.
/// </summary>
public sealed partial class ProfileData
{
    private const string Unknown = "(not provided)";

    private readonly Dictionary<string, string> _values;

    private ProfileData(Dictionary<string, string> values, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> blocks, string prompt)
    {
        _values = values;
        Blocks = blocks;
        Prompt = prompt;
    }

    public static ProfileData Empty { get; } = new(new(StringComparer.OrdinalIgnoreCase), new Dictionary<string, IReadOnlyDictionary<string, string>>(), "");

    /// <summary>The whole prompt, for the instructions a careful model follows (price ranges, which option to recommend).</summary>
    public string Prompt { get; }

    /// <summary>A price range the prompt sets ("between $300 and $1,500", "Comfortable price range: $300 - $1,500").</summary>
    public (decimal Min, decimal Max)? PriceRange
    {
        get
        {
            var match = RangeLabelled().Match(Prompt);
            if (!match.Success)
            {
                match = RangeBetween().Match(Prompt);
            }
            if (!match.Success || ParseMoney(match.Groups["min"].Value) is not { } min || ParseMoney(match.Groups["max"].Value) is not { } max || max < min)
            {
                return null;
            }
            return (min, max);
        }
    }

    /// <summary>
    /// The price the offer is built around: the desired (else current) price of the profile, moved inside the prompt's
    /// price range when there is one; the middle of the range when the profile names no price.
    /// </summary>
    public decimal AnchorPrice
    {
        get
        {
            decimal? price = null;
            // Only the profile's own price lines: a competitor's price point or a price range is not the offer's price.
            foreach (var key in (string[])["desired price", "current price"])
            {
                if (Find(key) is { } text && DollarAmount().Match(text) is { Success: true } m && ParseMoney(m.Value) is { } value && value > 0)
                {
                    price = value;
                    break;
                }
            }
            if (PriceRange is { } range)
            {
                return price is { } p ? Math.Clamp(p, range.Min, range.Max) : Math.Round((range.Min + range.Max) / 2);
            }
            return price ?? 1997;
        }
    }

    public static decimal? ParseMoney(string text) =>
        decimal.TryParse(text.Replace("$", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim(),
            System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Each block's values by label, by block name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Blocks { get; }

    /// <summary>All values by label (the first block that has a label wins).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string BusinessName => Find("business name", "business", "company", "brand") ?? "Northwind Advisory";

    public string Niche => Find("niche", "market category", "industry", "offer") ?? "premium business coaching";

    public string Audience => Find("target demographics", "target market", "target audience", "ideal customer", "audience")
        ?? $"established professionals in {Niche.ToLowerInvariant()}";

    public string Pain => Find("biggest customer pain point", "pain point", "pain", "problem")
        ?? "not having a clear, proven plan to grow without burning out";

    public string Delivery => Find("delivery format", "delivery", "format") ?? "a twelve-week coaching programme";

    public string Price => Find("desired price", "current price", "price") is { } price && DollarAmount().Match(price) is { Success: true } m
        ? m.Value
        : "$1,997";

    public static ProfileData Parse(string prompt)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var blocks = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (Match block in DataBlock().Matches(prompt))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var body = block.Groups["body"].Value.Trim();
            if (body.StartsWith('{') || body.StartsWith('['))
            {
                // Earlier stage output as JSON: its string leaves are facts too, labelled by their property names.
                foreach (var (label, value) in JsonLeaves(body))
                {
                    fields.TryAdd(label, value);
                    values.TryAdd(label, value);
                }
                blocks[block.Groups["name"].Value] = fields;
                continue;
            }
            foreach (var rawLine in body.Split('\n'))
            {
                var line = rawLine.Trim();
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || colon > 60 || line.StartsWith('{') || line.StartsWith('['))
                {
                    continue;
                }
                var label = line[..colon].Trim().TrimStart('-', '*', ' ');
                var value = Clean(line[(colon + 1)..]);
                if (label.Length == 0 || value.Length == 0 || value.Equals(Unknown, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                fields.TryAdd(label, value);
                values.TryAdd(label, value);
            }
            blocks[block.Groups["name"].Value] = fields;
        }
        return new ProfileData(values, blocks, prompt);
    }

    private static IEnumerable<(string Label, string Value)> JsonLeaves(string json)
    {
        System.Text.Json.Nodes.JsonNode? root;
        try
        {
            root = System.Text.Json.Nodes.JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            yield break;
        }
        var stack = new Stack<(string Name, System.Text.Json.Nodes.JsonNode? Node)>();
        stack.Push(("value", root));
        var leaves = new List<(string, string)>();
        while (stack.Count > 0)
        {
            var (name, node) = stack.Pop();
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    foreach (var (key, child) in o.Reverse())
                    {
                        stack.Push((key, child));
                    }
                    break;
                case System.Text.Json.Nodes.JsonArray a:
                    foreach (var child in a.Reverse())
                    {
                        stack.Push((name, child));
                    }
                    break;
                case System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                    var text = Clean(v.GetValue<string>());
                    if (text.Length > 0)
                    {
                        leaves.Add((name.Replace('_', ' '), text));
                    }
                    break;
            }
        }
        foreach (var leaf in leaves)
        {
            yield return leaf;
        }
    }

    /// <summary>The value of the first label that matches exactly, else of the first label that contains a key.</summary>
    public string? Find(params string[] keys)
    {
        foreach (var key in keys)
        {
            if (_values.TryGetValue(key, out var value))
            {
                return value;
            }
        }
        foreach (var key in keys)
        {
            foreach (var (label, value) in _values)
            {
                if (label.Contains(key, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }
        }
        return null;
    }

    /// <summary>A value fit to sit inside a sentence: no braces or brackets that could read as a template gap.</summary>
    private static string Clean(string value) =>
        value.Trim().Replace('‹', '(').Replace('›', ')').Replace("{", "(", StringComparison.Ordinal)
            .Replace("}", ")", StringComparison.Ordinal).Replace("[", "(", StringComparison.Ordinal)
            .Replace("]", ")", StringComparison.Ordinal).TrimEnd('.');

    [GeneratedRegex("""<data\s+name\s*=\s*"(?<name>[^"]*)"\s*>(?<body>.*?)</data>""", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex DataBlock();

    [GeneratedRegex(@"\$\s?\d[\d,]*(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex DollarAmount();

    [GeneratedRegex(@"between (?<min>\$[\d,]+(?:\.\d+)?) and (?<max>\$[\d,]+(?:\.\d+)?)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RangeBetween();

    [GeneratedRegex(@"price range[^:\n]{0,40}:\s*(?<min>\$[\d,]+(?:\.\d+)?)\s*(?:-|–|to)\s*(?<max>\$[\d,]+(?:\.\d+)?)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RangeLabelled();
}
