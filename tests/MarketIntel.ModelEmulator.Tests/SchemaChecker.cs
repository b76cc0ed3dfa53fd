using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>A small JSON schema checker for the keywords the emulator promises to honour, plus placeholder checks.</summary>
internal static partial class SchemaChecker
{
    public static List<string> Check(JsonNode? instance, JsonObject schema)
    {
        var errors = new List<string>();
        Check(instance, schema, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonNode? instance, JsonObject schema, JsonObject root, string path, List<string> errors)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            JsonNode? target = root;
            foreach (var segment in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target?[segment];
            }
            Check(instance, (JsonObject)target!, root, path, errors);
            return;
        }

        var types = schema["type"] switch
        {
            JsonArray a => a.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue v => [v.GetValue<string>()],
            _ => new List<string>(),
        };
        if (instance is null)
        {
            if (types.Count > 0 && !types.Contains("null"))
            {
                errors.Add($"{path}: null but type is {string.Join(",", types)}");
            }
            return;
        }
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, instance)))
        {
            errors.Add($"{path}: {instance.ToJsonString()} is not in the enum");
        }

        var kind = instance.GetValueKind();
        var actual = kind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => Number(instance) == Math.Floor(Number(instance)) ? "integer" : "number",
            _ => "null",
        };
        if (types.Count > 0 && !types.Contains(actual) && !(actual == "integer" && types.Contains("number")))
        {
            errors.Add($"{path}: {actual} but type is {string.Join(",", types)}");
            return;
        }

        switch (instance)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject ?? [];
                foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
                {
                    if (!obj.ContainsKey(required))
                    {
                        errors.Add($"{path}: required {required} is missing");
                    }
                }
                foreach (var (name, value) in obj)
                {
                    if (properties[name] is JsonObject propertySchema)
                    {
                        Check(value, propertySchema, root, $"{path}.{name}", errors);
                    }
                    else if (schema["additionalProperties"] is JsonValue extra && extra.GetValueKind() == JsonValueKind.False)
                    {
                        errors.Add($"{path}: unexpected property {name}");
                    }
                }
                break;
            case JsonArray array:
                if (schema["minItems"] is JsonValue minItems && array.Count < minItems.GetValue<int>())
                {
                    errors.Add($"{path}: {array.Count} items, fewer than minItems {minItems}");
                }
                if (schema["maxItems"] is JsonValue maxItems && array.Count > maxItems.GetValue<int>())
                {
                    errors.Add($"{path}: {array.Count} items, more than maxItems {maxItems}");
                }
                for (var i = 0; i < array.Count; i++)
                {
                    if (schema["items"] is JsonObject items)
                    {
                        Check(array[i], items, root, $"{path}[{i}]", errors);
                    }
                }
                break;
            case JsonValue when actual is "integer" or "number":
                var number = Number(instance);
                if (schema["minimum"] is JsonValue min && number < min.GetValue<double>())
                {
                    errors.Add($"{path}: {number} below minimum {min}");
                }
                if (schema["maximum"] is JsonValue max && number > max.GetValue<double>())
                {
                    errors.Add($"{path}: {number} above maximum {max}");
                }
                break;
            case JsonValue when actual == "string":
                var text = instance.GetValue<string>();
                if (schema["minLength"] is JsonValue minLength && text.Length < minLength.GetValue<int>())
                {
                    errors.Add($"{path}: shorter than minLength {minLength}");
                }
                if (schema["maxLength"] is JsonValue maxLength && text.Length > maxLength.GetValue<int>())
                {
                    errors.Add($"{path}: longer than maxLength {maxLength}");
                }
                if (Placeholder().IsMatch(text))
                {
                    errors.Add($"{path}: placeholder text '{text}'");
                }
                break;
        }
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\bTBD\b|\bTODO\b|\[\s*insert|\[\s*add\s|lorem ipsum|\{|\}|\.\.\.|…|^\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Placeholder();
}
