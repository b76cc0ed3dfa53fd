using MarketIntel.Pipeline.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Catalog;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", (IOptions<ModelCatalogOptions> catalog) => TypedResults.Ok<IReadOnlyList<ModelSpec>>(catalog.Value.Catalog))
            .WithTags("Models")
            .WithName("ListModels")
            .WithSummary("The model catalogue: context window, output limit, prices per million tokens, JSON-schema support");
        return app;
    }
}
