using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace MarketIntel.Pipeline.Schema;

/// <summary>
/// Generates the JSON schema of a stage's output from its C# record, so that the schema sent to the model, the schema in
/// the prompt and the schema the validator checks are one and the same document.
/// Data annotations carry the rules: <see cref="RangeAttribute"/> → minimum/maximum, <see cref="LengthAttribute"/> →
/// minItems/maxItems, <see cref="AllowedValuesAttribute"/> → enum, <see cref="DescriptionAttribute"/> → description.
/// Every non-nullable property is required and every required string must be non-empty.
/// </summary>
public static class StageSchema
{
    private static readonly ConcurrentDictionary<Type, JsonObject> Cache = new();

    /// <summary>The schema of <paramref name="type"/>; a fresh copy, so callers may not corrupt the cached one.</summary>
    public static JsonObject For(Type type) => (JsonObject)Cache.GetOrAdd(type, Generate).DeepClone();

    public static JsonObject For<T>() => For(typeof(T));

    /// <summary>Uncached; internal for the schema-generation benchmark.</summary>
    internal static JsonObject Generate(Type type)
    {
        var exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Transform,
        };
        var schema = (JsonObject)PipelineJson.Options.GetJsonSchemaAsNode(type, exporterOptions);
        schema.Remove("$schema");
        return schema;
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && context.TypeInfo.Properties.Count > 0)
        {
            var required = new JsonArray();
            foreach (var property in context.TypeInfo.Properties.Where(p => !p.IsGetNullable))
            {
                required.Add(property.Name);
            }
            node["required"] = required;
            node["additionalProperties"] = false;
        }

        if (context.PropertyInfo?.AttributeProvider is ICustomAttributeProvider attributes)
        {
            ApplyAnnotations(node, attributes);
        }

        // A non-nullable free-text string (property or array item) must say something; an enum says it by its values.
        if (node["enum"] is null && node["type"] is JsonValue type && type.GetValueKind() == System.Text.Json.JsonValueKind.String
            && type.GetValue<string>() == "string")
        {
            node["minLength"] = 1;
        }
        return node;
    }

    private static void ApplyAnnotations(JsonObject node, ICustomAttributeProvider attributes)
    {
        foreach (var attribute in attributes.GetCustomAttributes(inherit: true))
        {
            switch (attribute)
            {
                case DescriptionAttribute description:
                    node.Insert(0, "description", description.Description);
                    break;
                case RangeAttribute range:
                    node["minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                    node["maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case LengthAttribute length:
                    node["minItems"] = length.MinimumLength;
                    node["maxItems"] = length.MaximumLength;
                    break;
                case AllowedValuesAttribute allowed:
                    node["enum"] = new JsonArray(allowed.Values.Select(v => JsonValue.Create(v?.ToString())).ToArray<JsonNode?>());
                    break;
            }
        }
    }
}
