using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.Pipeline.Prompts;

/// <summary>
/// A value code has computed that the model must copy into its answer: where it goes (a JSON path such as
/// <c>payment_plans[0].total_price</c>), the value, and where it comes from, for the error message when it is not copied.
/// </summary>
public sealed record FixedValue(string Path, JsonNode Value, string Source)
{
    /// <summary>A number, written without trailing zeros: a price a model gave as 25000.0 is fixed as 25000.</summary>
    public static FixedValue Number(string path, decimal value, string source) =>
        new(path, JsonValue.Create(value / 1.000000000000000000000000000000000m), source);

    public static FixedValue Text(string path, string value, string source) => new(path, JsonValue.Create(value), source);

    /// <summary>The value as it is written in the prompt and in messages: JSON, with "$" and quotes unescaped.</summary>
    public string Json => Write(Value);

    /// <summary>The error for <paramref name="answer"/>, or null when it holds this value at <see cref="Path"/>.</summary>
    public string? Mismatch(JsonNode? answer)
    {
        var found = Find(answer, Path, out var present);
        if (!present)
        {
            return $"{Path} is missing; it must be {Json}, {Source}.";
        }
        return Same(found, Value) ? null : $"{Path} is {Write(found)}; it must be {Json}, {Source}.";
    }

    internal static string Write(JsonNode? node) => node?.ToJsonString(PipelineJson.Options) ?? "null";

    /// <summary>Numbers compare by value (25000 = 25000.0); strings exactly, ignoring surrounding blanks.</summary>
    private static bool Same(JsonNode? actual, JsonNode expected)
    {
        if (actual is not JsonValue value || expected is not JsonValue wanted)
        {
            return false;
        }
        if (wanted.GetValueKind() == JsonValueKind.Number)
        {
            return value.GetValueKind() == JsonValueKind.Number && value.GetValue<decimal>() == wanted.GetValue<decimal>();
        }
        return value.GetValueKind() == JsonValueKind.String
            && string.Equals(value.GetValue<string>().Trim(), wanted.GetValue<string>().Trim(), StringComparison.Ordinal);
    }

    /// <summary>Follows "a.b[1].c"; <paramref name="present"/> is false when a step does not exist.</summary>
    private static JsonNode? Find(JsonNode? root, string path, out bool present)
    {
        var node = root;
        present = false;
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
            {
                return null;
            }
            if (bracket >= 0)
            {
                var index = int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture);
                if (node is not JsonArray array || index >= array.Count)
                {
                    return null;
                }
                node = array[index];
            }
        }
        present = true;
        return node;
    }
}
