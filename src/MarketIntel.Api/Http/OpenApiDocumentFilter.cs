namespace MarketIntel.Api.Http;

/// <summary>
/// The OpenAPI endpoint answers an unknown document name with a plain-text 404; this filter answers it with problem
/// details first, like every other 4xx of the api.
/// </summary>
public sealed class OpenApiDocumentFilter(params string[] documents) : IEndpointFilter
{
    public const string DefaultDocument = "v1";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var name = context.HttpContext.GetRouteValue("documentName") as string;
        if (name is null || !documents.Contains(name, StringComparer.Ordinal))
        {
            return TypedResults.Problem(
                $"There is no OpenAPI document '{Text.Truncate(name ?? "")}'; the document is /openapi/{DefaultDocument}.json.",
                statusCode: StatusCodes.Status404NotFound, title: "OpenAPI document not found.");
        }
        return await next(context);
    }
}
