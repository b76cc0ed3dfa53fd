using MarketIntel.Pipeline.Models;
using MarketIntel.Storage;
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
            .WithSummary("The model catalogue: context window, output limit, prices per million tokens, JSON-schema support, throughput");

        app.MapGet("/api/models/serving", GetServingAsync)
            .WithTags("Models")
            .WithName("GetModelServing")
            .WithSummary("Who answers each model, as the workers announced at start: its provider, or \"emulator\" when the provider has no credentials");
        return app;
    }

    private static async Task<Ok<ModelServingView>> GetServingAsync(ServingStore serving)
    {
        var models = await serving.GetAsync();
        return TypedResults.Ok(new ModelServingView(models.Values.Contains(ServingStore.Emulator), models));
    }
}

/// <param name="Emulated">True when any model is answered by the model emulator: the pages then say the output is simulated.</param>
public sealed record ModelServingView(bool Emulated, IReadOnlyDictionary<string, string> Models);
