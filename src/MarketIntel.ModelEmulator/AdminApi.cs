namespace MarketIntel.ModelEmulator;

/// <summary>Run-time control for tests: replace a model's profile, reset them, read and reset the request counts.</summary>
internal static class AdminApi
{
    public static IEndpointRouteBuilder MapEmulatorAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin");

        admin.MapGet("/profiles", (ProfileStore profiles) => TypedResults.Ok(profiles.All()));

        // {**model}: model ids contain slashes (@cf/meta/llama-3.1-70b-instruct).
        admin.MapPut("/profiles/{**model}", async (string model, HttpRequest request, ProfileStore profiles) =>
        {
            using var reader = new StreamReader(request.Body);
            var json = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            if (string.IsNullOrWhiteSpace(model))
            {
                return ChatCompletionsApi.BadRequest("The model id is missing from the path.");
            }
            if (ChatCompletionsApi.ParseProfile(json, out var problem) is not { } profile)
            {
                return ChatCompletionsApi.BadRequest($"The body is not a valid profile: {problem}");
            }
            profiles.Set(model, profile);
            return TypedResults.Ok(profile);
        });

        admin.MapDelete("/profiles", (ProfileStore profiles) =>
        {
            profiles.Reset();
            return TypedResults.NoContent();
        });

        admin.MapGet("/stats", (EmulatorStats stats) => TypedResults.Ok(stats.Snapshot()));

        admin.MapDelete("/stats", (EmulatorStats stats) =>
        {
            stats.Reset();
            return TypedResults.NoContent();
        });

        return endpoints;
    }
}
