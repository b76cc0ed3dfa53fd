using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator;

/// <summary>The ways a real model spoils an otherwise good answer, applied to the answer text.</summary>
internal static class ContentFaults
{
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>JSON that does not parse: cut off mid-way, or wrapped in prose with a trailing comma.</summary>
    public static string Malformed(string json, Random random)
    {
        if (random.Next(2) == 0)
        {
            return json[..Math.Max(1, (int)(json.Length * (0.3 + random.NextDouble() * 0.4)))];
        }
        var last = json.LastIndexOf('}');
        var broken = last > 0 ? json[..last].TrimEnd() + ",\n}" : json + ",";
        return $"Sure! Here is the JSON you asked for:\n{broken}\nLet me know if you need anything else.";
    }

    /// <summary>One string value replaced by a template gap; false when the instance has no string to spoil.</summary>
    public static bool InsertPlaceholder(JsonNode? node, Random random)
    {
        var setters = new List<Action<string>>();
        Collect(node, setters);
        if (setters.Count == 0)
        {
            return false;
        }
        setters[random.Next(setters.Count)](random.Next(2) == 0 ? "TBD" : "[Insert detail]");
        return true;
    }

    /// <summary>A sentence of a Markdown report replaced by a template gap.</summary>
    public static string InsertPlaceholder(string markdown, Random random)
    {
        var lines = markdown.Split('\n');
        var prose = Enumerable.Range(0, lines.Length)
            .Where(i => lines[i].Length > 40 && !lines[i].StartsWith('#') && !lines[i].StartsWith('|')).ToList();
        if (prose.Count == 0)
        {
            return markdown + "\n[Insert detail]\n";
        }
        var index = prose[random.Next(prose.Count)];
        lines[index] = "[Insert detail] " + lines[index];
        return string.Join('\n', lines);
    }

    /// <summary>The text cut at 30-80 % of its length, as when a model runs out of output tokens.</summary>
    public static string Truncate(string content, Random random) =>
        content[..Math.Max(1, (int)(content.Length * (0.3 + random.NextDouble() * 0.5)))];

    public static string Fenced(string json) =>
        $"Here is the completed analysis in the requested format.\n\n```json\n{json}\n```";

    private static void Collect(JsonNode? node, List<Action<string>> setters)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    if (child is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        setters.Add(text => o[key] = text);
                    }
                    else
                    {
                        Collect(child, setters);
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var index = i;
                    if (a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        setters.Add(text => a[index] = text);
                    }
                    else
                    {
                        Collect(a[i], setters);
                    }
                }
                break;
        }
    }
}
