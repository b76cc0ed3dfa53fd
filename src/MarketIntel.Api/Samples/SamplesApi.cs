using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Samples;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Samples;

/// <summary>
/// <c>GET /api/samples</c>: the sample business profiles and offer preferences shipped with the pipeline
/// (<see cref="SampleSuite"/>, <c>Samples/*.json</c> beside the binaries), for the web form's "Fill with a sample".
/// Profiles and preferences keep the snake_case field names that <c>POST /api/jobs</c> takes.
/// </summary>
public static class SamplesApi
{
    private static readonly Lazy<JsonArray> Loaded = new(Load);

    public static IEndpointRouteBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/samples", () => TypedResults.Ok<JsonNode>(Loaded.Value.DeepClone()))
            .WithTags("Samples")
            .WithName("ListSamples")
            .WithSummary("Sample business profiles and offer preferences: [{id, name, profile, preferences}]");
        return app;
    }

    private static JsonArray Load()
    {
        var samples = new JsonArray();
        if (!Directory.Exists(SampleSuite.Directory))
        {
            return samples;
        }
        foreach (var sample in SampleSuite.LoadAll())
        {
            samples.Add(new JsonObject
            {
                ["id"] = sample.Id,
                ["name"] = sample.Name,
                ["profile"] = PipelineJson.ToNode(sample.Profile),
                ["preferences"] = PipelineJson.ToNode(sample.Preferences),
            });
        }
        return samples;
    }
}
