using System.Text.Json.Nodes;

namespace MarketIntel.Api.Tests;

internal static class Samples
{
    /// <summary>The wealth sample shipped with the pipeline, as the JSON a client would send.</summary>
    public static JsonObject Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", "wealth-executive-coaching.json");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    public static JsonObject ResearchRequest() => new()
    {
        ["kind"] = "research",
        ["profile"] = Load()["profile"]!.DeepClone(),
    };
}
