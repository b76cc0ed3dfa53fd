using System.Text.Json.Serialization;
using MarketIntel.Api.Http;
using MarketIntel.Api.Routing;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using MarketIntel.Storage.Rollout;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Rollout;

/// <summary>Body of <c>POST /api/phases/{n}/apply</c>.</summary>
public sealed record ApplyPhaseRequest
{
    /// <summary>Required, at most 500 characters; recorded in the routing history and the phase state.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>Explicit approval; required when the phase changes a protected stage (4).</summary>
    [JsonPropertyName("approved")] public bool Approved { get; init; }
}

/// <summary>Body of <c>POST /api/routing/emergency-rollback</c>.</summary>
public sealed record EmergencyRollbackRequest
{
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>Needed (with the reason) when the rollback changes a protected stage.</summary>
    [JsonPropertyName("approved")] public bool Approved { get; init; }
}

public sealed record PhasesResponse(IReadOnlyList<PhaseView> Phases, int? NextPhase, IReadOnlyList<string> NextBlockedBy);

/// <summary>
/// The rollout admin API (docs/architecture.md §4.5): the phases with their state and what blocks them, applying a phase, and the
/// emergency rollback to the last known-good routing. All routes need an operator's API key; the actor is that operator.
/// </summary>
public static class RolloutApi
{
    public static IEndpointRouteBuilder MapRolloutApi(this IEndpointRouteBuilder app)
    {
        var phases = app.MapGroup("/api/phases").WithTags("Rollout").RequireAdminKey();
        phases.MapGet("/", GetPhasesAsync)
            .WithName("GetPhases")
            .WithSummary("Every rollout phase: state, stages, target model, timestamps and, in words, what blocks it");
        phases.MapPost("/{number:int}/apply", ApplyAsync)
            .Accepts<ApplyPhaseRequest>("application/json")
            .WithName("ApplyPhase")
            .WithSummary("Put a phase's target model on canary for its stages")
            .WithDescription("Refused with 409 and the reasons unless the previous phase has been complete for the soak period, a passing "
                + "evaluation of the phase is recorded, and (for a protected stage) \"approved\": true with a reason.");

        app.MapGroup("/api/routing").WithTags("Rollout").RequireAdminKey()
            .MapPost("/emergency-rollback", EmergencyRollbackAsync)
            .Accepts<EmergencyRollbackRequest>("application/json")
            .WithName("EmergencyRollback")
            .WithSummary("Remove every candidate and return each stage to its last known-good stable model");
        return app;
    }

    private static async Task<Ok<PhasesResponse>> GetPhasesAsync(PhaseService service)
    {
        var views = await service.DescribeAsync();
        var next = views.FirstOrDefault(v => v.State.Status is PhaseStatus.Pending or PhaseStatus.RolledBack
            || v.State.Status is PhaseStatus.Canary or PhaseStatus.Soaking);
        return TypedResults.Ok(new PhasesResponse(views, next?.Number, next?.Blockers ?? []));
    }

    private static async Task<Results<Ok<PhaseApplyResult>, ProblemHttpResult>> ApplyAsync(
        int number, HttpRequest request, PhaseService service, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ApplyPhaseRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new FieldErrors();
        FieldRules.Text(errors, "reason", body!.Reason, required: true, maxLength: RoutingApi.MaxReasonLength);
        if (!errors.IsEmpty)
        {
            return JsonBody.Validation(errors.ToDictionary(), "The phase request is invalid.");
        }
        try
        {
            var result = await service.ApplyAsync(number, RoutingApi.Actor(request), body.Reason!.Trim(), body.Approved);
            if (!result.Applied)
            {
                return TypedResults.Problem(
                    $"Phase {number} was not applied: " + string.Join(" ", result.Refusals),
                    statusCode: StatusCodes.Status409Conflict, title: "The phase cannot be applied now.",
                    extensions: new Dictionary<string, object?> { ["reasons"] = result.Refusals });
            }
            return TypedResults.Ok(result);
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Phase not found.");
        }
        catch (RoutingConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "The routing changed concurrently.");
        }
    }

    private static async Task<Results<Ok<RoutingChange>, ProblemHttpResult>> EmergencyRollbackAsync(
        HttpRequest request, PhaseService service, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<EmergencyRollbackRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new FieldErrors();
        FieldRules.Text(errors, "reason", body!.Reason, required: true, maxLength: RoutingApi.MaxReasonLength);
        if (!errors.IsEmpty)
        {
            return JsonBody.Validation(errors.ToDictionary(), "The rollback request is invalid.");
        }
        try
        {
            return TypedResults.Ok(await service.EmergencyRollbackAsync(RoutingApi.Actor(request), body.Reason!.Trim(), body.Approved));
        }
        catch (ProtectedStageException e)
        {
            return RoutingApi.ProtectedProblem(e);
        }
        catch (RoutingConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "The routing changed concurrently.");
        }
    }
}
