using System.Text.Json.Nodes;

namespace MarketIntel.Pipeline.Tests;

/// <summary>
/// Builds an instance of a stage's JSON schema by walking it: the fewest (or the most) items allowed, the smallest (or
/// largest) numbers, the first (or last) enum value, and short distinct strings. Whatever the schema promises the model,
/// a validator must then accept, so prompt, schema and validator cannot drift apart.
/// </summary>
internal sealed class SchemaInstanceFactory
{
    private readonly bool _maximal;
    private int _counter;

    private SchemaInstanceFactory(bool maximal) => _maximal = maximal;

    public static JsonObject Minimal(JsonObject schema) => (JsonObject)new SchemaInstanceFactory(false).Create(schema, "output")!;

    public static JsonObject Maximal(JsonObject schema) => (JsonObject)new SchemaInstanceFactory(true).Create(schema, "output")!;

    private JsonNode? Create(JsonObject schema, string name)
    {
        if (schema["enum"] is JsonArray values)
        {
            return (_maximal ? values[^1] : values[0])!.DeepClone();
        }
        return TypeOf(schema) switch
        {
            "object" => CreateObject(schema),
            "array" => CreateArray(schema, name),
            "string" => $"Concrete {name.Replace('_', ' ')} detail {++_counter}",
            "integer" or "number" => Number(schema),
            "boolean" => _maximal,
            _ => throw new NotSupportedException($"Schema type of {name} is not supported: {schema.ToJsonString()}"),
        };
    }

    private JsonObject CreateObject(JsonObject schema)
    {
        var required = schema["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
        var result = new JsonObject();
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            // Optional properties appear only in the maximal instance.
            if (required.Contains(name) || _maximal)
            {
                result[name] = Create(property!.AsObject(), name);
            }
        }
        return result;
    }

    private JsonArray CreateArray(JsonObject schema, string name)
    {
        var count = _maximal ? (int?)schema["maxItems"] ?? (int?)schema["minItems"] ?? 1 : (int?)schema["minItems"] ?? 1;
        var items = schema["items"]!.AsObject();
        return new JsonArray(Enumerable.Range(0, count).Select(_ => Create(items, name)).ToArray());
    }

    private JsonNode Number(JsonObject schema)
    {
        var bound = _maximal ? (double?)schema["maximum"] : (double?)schema["minimum"];
        return JsonValue.Create(bound ?? 1);
    }

    /// <summary>The main type of a schema node; nullable types list "null" beside it.</summary>
    private static string TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).First(t => t != "null"),
        JsonValue type => type.GetValue<string>(),
        _ => "object",
    };
}
