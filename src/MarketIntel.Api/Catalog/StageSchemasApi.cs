using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Catalog;

/// <summary>
/// <c>GET /api/stages/{n}/schema</c>: the JSON schema of a stage's output, the same one the model is asked for and the
/// validator checks. The research editor builds its fields from it (enums as choices, list sizes, number ranges).
/// </summary>
public static class StageSchemasApi
{
    public static IEndpointRouteBuilder MapStageSchemasApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stages/{stage:int}/schema", Results<Ok<JsonNode>, ProblemHttpResult> (int stage) =>
            {
                if (stage is < 1 or > 13)
                {
                    return TypedResults.Problem($"There is no stage {stage}; stages are 1-13.", statusCode: StatusCodes.Status404NotFound, title: "No such stage.");
                }
                if (StageCatalog.Get(stage).ResponseSchema is not { } schema)
                {
                    return TypedResults.Problem($"Stage {stage} writes Markdown, not JSON.", statusCode: StatusCodes.Status404NotFound, title: "No JSON schema.");
                }
                return TypedResults.Ok<JsonNode>(schema.DeepClone());
            })
            .WithTags("Models")
            .WithName("GetStageSchema")
            .WithSummary("The JSON schema of a stage's output (what the model is asked for and the validator checks)");
        return app;
    }
}
