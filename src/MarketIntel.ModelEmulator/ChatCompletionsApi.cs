using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// <c>POST /v1/chat/completions</c> and the Workers AI OpenAI-compatible path
/// <c>POST /client/v4/accounts/{account}/ai/v1/chat/completions</c>, which wants a bearer token (any non-empty one) and
/// reads the body in Workers AI's dialect (<see cref="RequestDialect.WorkersAi"/>).
/// </summary>
internal static class ChatCompletionsApi
{
    public const string ProfileHeader = "X-Emulator-Profile";

    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/chat/completions", (HttpContext http, ChatEmulator emulator, ProfileStore profiles, EmulatorStats stats, TimeProvider time) =>
            HandleAsync(http, emulator, profiles, stats, time, RequestDialect.OpenAI));
        endpoints.MapPost("/client/v4/accounts/{account}/ai/v1/chat/completions",
            (string account, HttpContext http, ChatEmulator emulator, ProfileStore profiles, EmulatorStats stats, TimeProvider time) =>
                HandleAsync(http, emulator, profiles, stats, time, RequestDialect.WorkersAi));
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, ChatEmulator emulator, ProfileStore profiles, EmulatorStats stats, TimeProvider time, RequestDialect dialect)
    {
        var cancellation = http.RequestAborted;
        if (dialect == RequestDialect.WorkersAi && !HasBearerToken(http.Request))
        {
            return TypedResults.Json(WorkersAiErrors.Authentication, statusCode: StatusCodes.Status401Unauthorized);
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: cancellation);
        }
        catch (JsonException e)
        {
            return BadRequest($"The request body is not valid JSON: {e.Message}");
        }

        if (ChatRequest.Parse(body, out var error, dialect) is not { } request)
        {
            return BadRequest(error ?? "The request is not a chat completions request.");
        }

        var profile = profiles.Get(request.Model);
        if (http.Request.Headers[ProfileHeader] is { Count: > 0 } header)
        {
            if (ParseProfile(header.ToString(), out var problem, profile) is not { } overridden)
            {
                return BadRequest($"The {ProfileHeader} header is not a valid profile: {problem}");
            }
            profile = overridden;
        }

        var decision = emulator.Decide(request, profile);
        try
        {
            if (decision is FailureDecision failure)
            {
                await Task.Delay(failure.Delay, time, cancellation);
                if (failure.RetryAfter)
                {
                    http.Response.Headers.RetryAfter = "1";
                }
                return TypedResults.Json(failure.Body, statusCode: failure.StatusCode);
            }

            var answer = (AnswerDecision)decision;
            if (request.Stream)
            {
                await ChatStreaming.WriteAsync(http, request, answer, time, cancellation);
                return TypedResults.Empty;
            }
            await Task.Delay(answer.Delay, time, cancellation);
            var completion = new ChatCompletion(
                answer.Id,
                "chat.completion",
                time.GetUtcNow().ToUnixTimeSeconds(),
                request.Model,
                [new ChatChoice(0, new ChatMessageBody("assistant", answer.Content), null, answer.FinishReason)],
                answer.Usage);
            return TypedResults.Json(completion);
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client closed the connection before the answer ended (its timeout, or a cancelled job); nobody reads this.
            stats.RecordDisconnect(request.Model);
            return TypedResults.StatusCode(499);
        }
    }

    /// <summary>
    /// A profile from JSON (property names as in configuration, any case), validated like configuration. With
    /// <paramref name="baseProfile"/>, the JSON changes only the properties it names (the per-request header).
    /// </summary>
    internal static ModelProfile? ParseProfile(string json, out string? problem, ModelProfile? baseProfile = null)
    {
        ModelProfile? profile;
        try
        {
            var node = JsonNode.Parse(json);
            if (baseProfile is not null && node is JsonObject changes)
            {
                var merged = JsonSerializer.SerializeToNode(baseProfile, JsonSerializerOptions.Web)!.AsObject();
                foreach (var (name, value) in changes)
                {
                    var existing = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                    merged[existing ?? name] = value?.DeepClone();
                }
                node = merged;
            }
            profile = node.Deserialize<ModelProfile>(JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            problem = e.Message;
            return null;
        }
        var errors = ModelProfile.ValidateProfile(profile, "profile").ToList();
        problem = errors.Count == 0 ? null : string.Join(" ", errors.Select(e => e.ErrorMessage));
        return errors.Count == 0 ? profile : null;
    }

    internal static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    private static bool HasBearerToken(HttpRequest request)
    {
        var value = request.Headers.Authorization.ToString();
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value["Bearer ".Length..].Trim().Length > 0;
    }
}
