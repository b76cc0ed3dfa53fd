using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Samples;

/// <summary>
/// <c>GET /api/samples</c>: the sample business profiles and offer preferences shipped with the pipeline
/// (<c>Samples/*.json</c> beside the binaries, each <c>{name, profile, preferences}</c>), for the web form's
/// "Fill with a sample". Read once; a file that is not a sample object is left out.
/// </summary>
public static class SamplesApi
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Loaded = new(Load);

    public static IEndpointRouteBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/samples", () => TypedResults.Ok(Loaded.Value.Select(s => s.DeepClone()).ToList()))
            .WithTags("Samples")
            .WithName("ListSamples")
            .WithSummary("Sample business profiles and offer preferences: [{id, name, profile, preferences}]");
        return app;
    }

    private static IReadOnlyList<JsonObject> Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Samples");
        if (!Directory.Exists(folder))
        {
            return [];
        }
        var samples = new List<JsonObject>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                if (JsonNode.Parse(File.ReadAllText(file)) is JsonObject { } sample && sample["profile"] is JsonObject)
                {
                    sample["id"] = Path.GetFileNameWithoutExtension(file);
                    sample["name"] ??= Path.GetFileNameWithoutExtension(file);
                    samples.Add(sample);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a sample; skip it.
            }
        }
        return samples;
    }
}
