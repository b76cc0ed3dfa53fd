using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// The values a prompt tells the model to use verbatim: a heading "Fixed values (use exactly as given)" followed by lines
/// "- &lt;path&gt;: &lt;JSON value&gt;", where the path names an answer field ("price", "payment_plans[0].total",
/// "tiers[1].name"). A model that reads them writes each value at its path.
/// </summary>
internal static partial class FixedValues
{
    /// <summary>One fixed value: its path as property names and array indexes, and the value.</summary>
    public sealed record Entry(string Path, IReadOnlyList<PathStep> Steps, JsonNode? Value);

    /// <summary>A property name, or an array index when <see cref="Name"/> is null.</summary>
    public sealed record PathStep(string? Name, int Index);

    /// <summary>Every fixed value of every such block in the text, in order (a later line for the same path wins).</summary>
    public static IReadOnlyList<Entry> Parse(string text)
    {
        var entries = new List<Entry>();
        foreach (Match block in Block().Matches(text))
        {
            foreach (var raw in block.Groups["lines"].Value.Split('\n'))
            {
                var line = raw.Trim();
                if (!line.StartsWith("- ", StringComparison.Ordinal))
                {
                    continue;
                }
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                if (colon < 0 || ParsePath(line[2..colon].Trim()) is not { } steps)
                {
                    continue;
                }
                entries.Add(new Entry(line[2..colon].Trim(), steps, ParseValue(line[(colon + 2)..].Trim())));
            }
        }
        return entries;
    }

    /// <summary>
    /// Writes each entry into <paramref name="answer"/>, creating the objects and array items its path needs (a new array
    /// item copies the last one, as a model extends a list it was told to fill). Returns how many were written.
    /// </summary>
    public static int Apply(JsonNode? answer, IReadOnlyList<Entry> entries) =>
        answer is null ? 0 : entries.Count(entry => Set(answer, entry.Steps, entry.Value));

    internal static IReadOnlyList<PathStep>? ParsePath(string path)
    {
        var steps = new List<PathStep>();
        foreach (var part in path.Split('.'))
        {
            var match = Segment().Match(part);
            if (part.Length == 0 || !match.Success)
            {
                return null;
            }
            if (match.Groups["name"].Success)
            {
                steps.Add(new PathStep(match.Groups["name"].Value, -1));
            }
            steps.AddRange(match.Groups["index"].Captures.Select(c => new PathStep(null, int.Parse(c.Value, CultureInfo.InvariantCulture))));
        }
        return steps.Count == 0 ? null : steps;
    }

    private static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Not JSON (an unquoted word): the text itself is the value.
            return JsonValue.Create(text);
        }
    }

    private static bool Set(JsonNode root, IReadOnlyList<PathStep> steps, JsonNode? value)
    {
        var current = root;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var last = i == steps.Count - 1;
            JsonNode? Fresh() => last ? value?.DeepClone() : steps[i + 1].Name is null ? new JsonArray() : new JsonObject();
            switch (current)
            {
                case JsonObject o when step.Name is not null:
                    if (last || o[step.Name] is null)
                    {
                        o[step.Name] = Fresh();
                    }
                    current = o[step.Name];
                    break;
                case JsonArray a when step.Name is null:
                    while (a.Count <= step.Index)
                    {
                        a.Add(a.Count > 0 && !last ? a[^1]?.DeepClone() : Fresh());
                    }
                    if (last || a[step.Index] is null)
                    {
                        a[step.Index] = Fresh();
                    }
                    current = a[step.Index];
                    break;
                default:
                    return false; // the path does not fit the answer's shape
            }
        }
        return true;
    }

    [GeneratedRegex(@"^#+[ \t]*Fixed values\b[^\n]*\n(?<lines>(?:[ \t]*(?:-[^\n]*)?\r?\n?)+)", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Block();

    [GeneratedRegex(@"^(?<name>[^.\[\]\s]+)?(?:\[(?<index>\d+)\])*$", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();
}
