using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Prompt sentences that name answer fields by their path ("market_size_2024", "demographics.age_range") and say how
/// those fields relate, followed as a careful writer follows them once the first draft is written:
/// <list type="bullet">
/// <item>"a must equal b × (1 + c)": a is recomputed from the figures in b and c, in b's unit ("$4.2 billion").</item>
/// <item>"If c is positive, a must be larger than b; if it is negative, smaller": a is moved to the right side of b.</item>
/// <item>"a must lie within 32-48": the numbers in a are brought inside the range.</item>
/// <item>"a must be a dollar figure at least $165,000" or "within $A-$B": the dollar amount in a is moved inside.</item>
/// <item>"Give each ... its own name, different from ...: [names]": no two *_name fields share a name, and none is listed.</item>
/// </list>
/// A realistic writer overlooks each sentence with <see cref="Realism.InstructionMissRate"/>.
/// </summary>
internal static partial class FieldInstructions
{
    public static void Apply(JsonNode? answer, string prompt, Random random, Realism? realism)
    {
        if (answer is not JsonObject root)
        {
            return;
        }
        bool Follow() => realism is null || random.NextDouble() >= realism.InstructionMissRate;

        foreach (Match m in Formula().Matches(prompt))
        {
            if (Follow())
            {
                Grow(root, m.Groups["a"].Value, m.Groups["b"].Value, m.Groups["c"].Value);
            }
        }
        foreach (Match m in Direction().Matches(prompt))
        {
            if (Follow())
            {
                KeepDirection(root, m.Groups["a"].Value, m.Groups["b"].Value, m.Groups["c"].Value);
            }
        }
        foreach (Match m in WithinNumbers().Matches(prompt))
        {
            if (Follow())
            {
                Within(root, m.Groups["a"].Value, Int(m.Groups["min"]), Int(m.Groups["max"]));
            }
        }
        foreach (Match m in DollarFigure().Matches(prompt))
        {
            if (Follow())
            {
                var min = Dollars(m.Groups["min"].Value);
                var max = m.Groups["max"].Success ? Dollars(m.Groups["max"].Value) : decimal.MaxValue;
                DollarsWithin(root, m.Groups["a"].Value, min, max);
            }
        }
        foreach (Match m in OwnName().Matches(prompt))
        {
            if (Follow())
            {
                DistinctNames(root, Taken(m.Value));
            }
        }
    }

    /// <summary>a = b × (1 + c), written in b's form when a has no figure of its own to replace.</summary>
    private static void Grow(JsonObject root, string a, string b, string c)
    {
        if (Find(root, a) is not { } target || Figure(Find(root, b)) is not { } basis || Rate(Find(root, c)) is not { } rate)
        {
            return;
        }
        var grown = basis.Value * (1 + rate);
        var written = FormatLike(basis, grown);
        Replace(target, Figure(target) is { } old ? old : basis, written);
    }

    private static void KeepDirection(JsonObject root, string a, string b, string c)
    {
        if (Find(root, a) is not { } target || Figure(target) is not { } value || Figure(Find(root, b)) is not { } basis
            || Rate(Find(root, c)) is not { } rate || rate == 0)
        {
            return;
        }
        if (rate > 0 ? value.Value > basis.Value : value.Value < basis.Value)
        {
            return;
        }
        Replace(target, value, FormatLike(basis, basis.Value * (1 + rate)));
    }

    /// <summary>Every number in the field brought inside [min, max]; a range that collapses becomes the whole range.</summary>
    private static void Within(JsonObject root, string a, int min, int max)
    {
        switch (Find(root, a))
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var number = v.GetValue<double>();
                if (number < min || number > max)
                {
                    Set(root, a, JsonValue.Create((min + max) / 2));
                }
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                var numbers = Integer().Matches(text).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
                if (numbers.All(n => n >= min && n <= max) && numbers.Count > 0)
                {
                    return;
                }
                var clamped = numbers.Select(n => Math.Clamp(n, min, max)).ToList();
                var fixedText = numbers.Count == 0 || clamped.Distinct().Count() < Math.Min(2, numbers.Count)
                    ? $"{min}-{max}"
                    : Integer().Replace(text, m => Math.Clamp(int.Parse(m.Value, CultureInfo.InvariantCulture), min, max).ToString(CultureInfo.InvariantCulture));
                Set(root, a, JsonValue.Create(fixedText));
                break;
        }
    }

    private static void DollarsWithin(JsonObject root, string a, decimal min, decimal max)
    {
        if (Find(root, a) is not { } target || Figure(target) is not { } value || (value.Value >= min && value.Value <= max))
        {
            return;
        }
        // A round figure inside the bounds: the lower bound rounded up to the thousand, or the middle of a closed range.
        var wanted = max == decimal.MaxValue ? Math.Ceiling(min / 1000) * 1000 : Math.Round((min + max) / 2 / 1000) * 1000;
        wanted = Math.Clamp(wanted, min, max);
        Replace(target, value, "$" + wanted.ToString("#,0", CultureInfo.InvariantCulture));
    }

    /// <summary>Names that repeat, or that the prompt lists as taken, get a distinguishing word.</summary>
    private static void DistinctNames(JsonObject root, IReadOnlyList<string> taken)
    {
        var seen = new HashSet<string>(taken.Select(Key), StringComparer.Ordinal);
        foreach (var (parent, property, name) in NameFields(root))
        {
            var candidate = name;
            for (var i = 0; seen.Contains(Key(candidate)); i++)
            {
                candidate = $"{name} {Distinctions[i % Distinctions.Length]}{(i >= Distinctions.Length ? $" {i / Distinctions.Length + 1}" : "")}";
            }
            seen.Add(Key(candidate));
            if (candidate != name)
            {
                parent[property] = candidate;
            }
        }

        static string Key(string name) => Regex.Replace(name.ToLowerInvariant(), @"\s+", " ").Trim();
    }

    private static readonly string[] Distinctions = ["Intensive", "Accelerator", "Circle", "Vault", "Blueprint", "Sprint"];

    /// <summary>The string fields whose name ends in "_name", in document order.</summary>
    private static IEnumerable<(JsonObject Parent, string Property, string Name)> NameFields(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (property, value) in o.ToList())
                {
                    if (property.EndsWith("_name", StringComparison.Ordinal) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        yield return (o, property, v.GetValue<string>());
                    }
                    foreach (var inner in NameFields(value))
                    {
                        yield return inner;
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var inner in NameFields(item))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }

    /// <summary>The names a line lists after its colon, as a JSON list or as quoted names separated by commas.</summary>
    private static IReadOnlyList<string> Taken(string line)
    {
        if (ListAfter(line) is { Count: > 0 } listed)
        {
            return listed;
        }
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? [] : QuotedText().Matches(line[colon..]).Select(m => m.Groups["text"].Value).ToList();
    }

    /// <summary>The JSON list at the end of an instruction line, or none.</summary>
    internal static IReadOnlyList<string> ListAfter(string line)
    {
        var start = line.IndexOf('[', StringComparison.Ordinal);
        var end = line.LastIndexOf(']');
        if (start < 0 || end <= start)
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(line[start..(end + 1)]) is JsonArray items
                ? items.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList()
                : [];
        }
        catch (JsonException)
        {
            return []; // brackets that are not a JSON list: nothing is listed
        }
    }

    /// <summary>A dollar figure as written: where it sits in its text, its value, and the unit word it carries.</summary>
    private sealed record Money(int Index, int Length, decimal Value, decimal Scale, string Unit);

    private static Money? Figure(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && DollarAmount().Match(v.GetValue<string>()) is { Success: true } m
            ? new Money(m.Index, m.Length, decimal.Parse(m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) * ScaleOf(m.Groups["unit"].Value),
                ScaleOf(m.Groups["unit"].Value), m.Groups["unit"].Value)
            : null;

    private static decimal ScaleOf(string unit) => unit.ToLowerInvariant() switch
    {
        "thousand" or "k" => 1_000m,
        "million" or "m" => 1_000_000m,
        "billion" or "b" or "bn" => 1_000_000_000m,
        "trillion" => 1_000_000_000_000m,
        _ => 1m,
    };

    /// <summary>An amount in the unit and style of <paramref name="like"/>: "$4.68 billion", "$165,000".</summary>
    private static string FormatLike(Money like, decimal value)
    {
        var inUnit = value / like.Scale;
        return like.Unit.Length == 0
            ? "$" + Math.Round(inUnit).ToString("#,0", CultureInfo.InvariantCulture)
            : "$" + Math.Round(inUnit, 2).ToString("0.##", CultureInfo.InvariantCulture) + " " + like.Unit;
    }

    /// <summary>The field's text with its figure replaced, or the new figure alone when the field had none.</summary>
    private static void Replace(JsonNode target, Money old, string written)
    {
        var parent = target.Parent;
        var text = target is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        var updated = Figure(target) is not null ? text[..old.Index] + written + text[(old.Index + old.Length)..] : written;
        switch (parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = updated;
                break;
            case JsonArray a:
                a[target.GetElementIndex()] = updated;
                break;
        }
    }

    /// <summary>A rate as a fraction: "11.5% annually" gives 0.115; a bare number is a fraction when at most 1, else percent.</summary>
    private static decimal? Rate(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String && Percent().Match(v.GetValue<string>()) is { Success: true } m =>
            decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) / 100,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<decimal>() is var d && Math.Abs(d) <= 1 ? d : d / 100,
        _ => null,
    };

    private static JsonNode? Find(JsonObject root, string path)
    {
        if (FixedValues.ParsePath(path) is not { } steps)
        {
            return null;
        }
        JsonNode? current = root;
        foreach (var step in steps)
        {
            current = (current, step.Name) switch
            {
                (JsonObject o, { } name) => o[name],
                (JsonArray a, null) when step.Index < a.Count => a[step.Index],
                _ => null,
            };
        }
        return current;
    }

    private static void Set(JsonObject root, string path, JsonNode value) =>
        FixedValues.Apply(root, [new FixedValues.Entry(path, FixedValues.ParsePath(path)!, value)]);

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    private static decimal Dollars(string text) => decimal.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    /// <summary>
    /// A field path, starting where a word starts and matched atomically: tried from every letter of a long run of text,
    /// a path that could give characters back would take time quadratic in the run's length.
    /// </summary>
    private const string Path = @"(?<![\w.\]])(?>[a-z][a-z0-9_]*(?:\[\d+\])*(?:\.[a-z][a-z0-9_]*(?:\[\d+\])*)*)";

    [GeneratedRegex($@"(?<a>{Path}) must equal (?<b>{Path})\s*[×x*]\s*\(\s*1\s*\+\s*(?<c>{Path})\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Formula();

    [GeneratedRegex($@"If (?<c>{Path}) is positive, (?<a>{Path}) must be (?:larger|greater|higher) than (?<b>{Path})", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Direction();

    [GeneratedRegex($@"(?<a>{Path}) must lie within (?<min>\d+)\s*(?:-|–|to)\s*(?<max>\d+)\b(?!\s*%)", RegexOptions.CultureInvariant)]
    private static partial Regex WithinNumbers();

    [GeneratedRegex($@"(?<a>{Path}) must be a dollar figure (?:at least \$(?<min>\d[\d,]*(?:\.\d+)?)|within \$(?<min>\d[\d,]*(?:\.\d+)?)\s*(?:-|–|to)\s*\$(?<max>\d[\d,]*(?:\.\d+)?))", RegexOptions.CultureInvariant)]
    private static partial Regex DollarFigure();

    [GeneratedRegex(@"^.*\bits own name\b.*$", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OwnName();

    [GeneratedRegex(@"\$\s?(?<n>\d[\d,]*(?:\.\d+)?)(?:\s*(?<unit>thousand|million|billion|trillion|bn|[kKmMbB])\b)?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DollarAmount();

    [GeneratedRegex(@"(?<n>-?\d+(?:\.\d+)?)\s*%", RegexOptions.CultureInvariant)]
    private static partial Regex Percent();

    [GeneratedRegex(@"""(?<text>[^""\n]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedText();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();
}
