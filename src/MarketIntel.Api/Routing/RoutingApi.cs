using MarketIntel.Api.Http;
using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Routing;

/// <summary>
/// The routing admin API (docs/architecture.md §4.4, §6): read the active routing, change one stage, read the history, roll back. Every
/// change is a new version in <see cref="RoutingStore"/> with who, when, why and the diff; workers pick it up on their
/// next stage call. All routes need the admin API key.
/// </summary>
public static class RoutingApi
{
    public const int MaxReasonLength = 500;
    public const int DefaultHistoryLimit = 50;
    public const int MaxHistoryLimit = 500;

    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        var routing = app.MapGroup("/api/routing").WithTags("Routing").RequireAdminKey();

        routing.MapGet("/", GetActiveAsync)
            .WithName("GetRouting")
            .WithSummary("The active routing document (every stage's route) with its version");

        routing.MapPut("/stages/{stage:int}", ChangeStageAsync)
            .Accepts<ChangeStageRouteRequest>("application/json")
            .WithName("ChangeStageRoute")
            .WithSummary("Change one stage's route as a new routing version")
            .WithDescription("Absent fields stay as they are; \"\" clears the candidate or the shadow. Models must be in the catalogue. "
                + "A protected stage (or a change of the protected flag) needs approved=true and a reason, otherwise 409. "
                + "The actor is the operator whose API key was sent.");

        routing.MapGet("/history", GetHistoryAsync)
            .WithName("GetRoutingHistory")
            .WithSummary("Routing changes, newest first, each with who, when, why, approval and the diff");

        routing.MapPost("/rollback", RollbackAsync)
            .Accepts<RollbackRequest>("application/json")
            .WithName("RollbackRouting")
            .WithSummary("Activate the content of an earlier version as a new version")
            .WithDescription("A rollback that changes a protected stage needs approved=true and a reason, otherwise 409.");

        routing.MapGet("/versions/{version:int}", GetVersionAsync)
            .WithName("GetRoutingVersion")
            .WithSummary("One routing version as it was written");

        return app;
    }

    private static async Task<Ok<RoutingDocument>> GetActiveAsync(RoutingStore store) =>
        TypedResults.Ok(await store.GetActiveAsync());

    private static async Task<Results<Ok<RoutingDocument>, ProblemHttpResult>> GetVersionAsync(int version, RoutingStore store) =>
        version >= 1 && await store.GetVersionAsync(version) is { } document
            ? TypedResults.Ok(document)
            : VersionNotFound(version);

    private static async Task<Ok<IReadOnlyList<RoutingChange>>> GetHistoryAsync(RoutingStore store, int? limit) =>
        TypedResults.Ok(await store.HistoryAsync(Math.Clamp(limit ?? DefaultHistoryLimit, 1, MaxHistoryLimit)));

    private static async Task<Results<Ok<RoutingChangeResult>, ProblemHttpResult>> ChangeStageAsync(
        int stage, HttpRequest request, RoutingStore store, IOptions<ModelCatalogOptions> catalog,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ChangeStageRouteRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        if (!StageCatalog.Exists(stage))
        {
            errors.Add("stage", $"must be a stage number from 1 to {StageCatalog.All.Count()} (got {stage}).");
        }
        ValidateFields(body!, catalog.Value, errors);
        if (!errors.IsEmpty)
        {
            return JsonBody.Validation(errors.ToDictionary(), "The routing change is invalid.");
        }

        var actor = Actor(request);
        StageRoute? applied = null;
        try
        {
            // The rules that depend on the current route run inside the change, against the very version it replaces.
            var change = await store.ChangeAsync(
                current =>
                {
                    var before = current.Stages.GetValueOrDefault(stage) ?? new StageRoute();
                    var after = Apply(before, body!, catalog.Value, errors);
                    if (!errors.IsEmpty)
                    {
                        throw new RouteChangeRejected(JsonBody.Validation(errors.ToDictionary(), "The routing change is invalid."));
                    }
                    if (after == before)
                    {
                        throw new RouteChangeRejected(JsonBody.Problem("body", $"The change leaves stage {stage} as it is."));
                    }
                    if ((before.Protected || after.Protected) && !(body!.Approved && !string.IsNullOrWhiteSpace(body.Reason)))
                    {
                        throw new RouteChangeRejected(TypedResults.Problem(
                            $"Stage {stage} ({StageCatalog.Get(stage).Name}) is protected: any change to it, including its protected flag, "
                            + "needs \"approved\": true and a reason. Nothing was changed.",
                            statusCode: StatusCodes.Status409Conflict, title: "The stage is protected."));
                    }
                    if (StableSwitch.Refusal(stage, before, after, body!.Force, body.Approved, body.Reason) is { } refusal)
                    {
                        throw new RouteChangeRejected(TypedResults.Problem(refusal,
                            statusCode: StatusCodes.Status409Conflict, title: "The stable model changes through a rollout."));
                    }
                    if (body.Force && after.Stable == before.Stable)
                    {
                        throw new RouteChangeRejected(JsonBody.Problem("force", "applies only to a change of the stable model."));
                    }
                    applied = after;
                    return current with { Stages = new Dictionary<int, StageRoute>(current.Stages) { [stage] = after } };
                },
                kind: body!.Force ? StableSwitch.ForcedKind : "change", actor: actor, reason: body.Reason!.Trim(), approved: body.Approved);
            if (body.Force)
            {
                loggers.CreateLogger(typeof(RoutingApi)).LogWarning(
                    "Routing version {Version}: stage {Stage} stable model forced by {Actor}", change.Version, stage, actor);
            }

            loggers.CreateLogger(typeof(RoutingApi)).LogInformation(
                "Routing version {Version}: stage {Stage} changed by {Actor} (approved: {Approved})", change.Version, stage, actor, body.Approved);
            return TypedResults.Ok(new RoutingChangeResult(change.Version, stage, applied, change));
        }
        catch (RouteChangeRejected rejected)
        {
            return rejected.Problem;
        }
        catch (RoutingConflictException conflict)
        {
            return Conflict(conflict);
        }
    }

    private static async Task<Results<Ok<RoutingChangeResult>, ProblemHttpResult>> RollbackAsync(
        HttpRequest request, RoutingStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RollbackRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new FieldErrors();
        if (body!.Version is not { } version)
        {
            errors.Add("version", "is required: the routing version to activate again.");
            version = 0;
        }
        else if (version < 1)
        {
            errors.Add("version", $"must be 1 or more (got {version}).");
        }
        FieldRules.Text(errors, "reason", body.Reason, required: true, maxLength: MaxReasonLength);
        if (!errors.IsEmpty)
        {
            return JsonBody.Validation(errors.ToDictionary(), "The rollback request is invalid.");
        }

        var active = await store.GetActiveAsync();
        if (active.Version == version)
        {
            return TypedResults.Problem($"Version {version} is the active routing already.",
                statusCode: StatusCodes.Status409Conflict, title: "Nothing to roll back.");
        }
        var actor = Actor(request);
        try
        {
            var change = await store.RollbackAsync(version, actor, body.Reason!.Trim(), body.Approved);
            loggers.CreateLogger(typeof(RoutingApi)).LogInformation(
                "Routing version {Version}: rollback to version {Target} by {Actor}", change.Version, version, actor);
            return TypedResults.Ok(new RoutingChangeResult(change.Version, null, null, change));
        }
        catch (KeyNotFoundException)
        {
            return VersionNotFound(version);
        }
        catch (ProtectedStageException e)
        {
            return ProtectedProblem(e);
        }
        catch (RoutingConflictException conflict)
        {
            return Conflict(conflict);
        }
    }

    /// <summary>409 for a whole-document change that would touch protected stages without approval.</summary>
    internal static ProblemHttpResult ProtectedProblem(ProtectedStageException e) =>
        TypedResults.Problem(
            $"{string.Join(", ", e.Stages.Select(s => $"Stage {s} ({StageCatalog.Get(s).Name})"))} is protected and would change: "
            + "send \"approved\": true with the reason. Nothing was changed.",
            statusCode: StatusCodes.Status409Conflict, title: "The stage is protected.");

    /// <summary>The rules a field obeys on its own (ranges, catalogue, reason).</summary>
    internal static void ValidateFields(ChangeStageRouteRequest body, ModelCatalogOptions catalog, FieldErrors errors)
    {
        if (body.Stable is not null)
        {
            Model(errors, "stable", body.Stable, catalog, allowEmpty: false);
        }
        if (body.Candidate is not null)
        {
            Model(errors, "candidate", body.Candidate, catalog, allowEmpty: true);
        }
        if (body.Shadow is not null)
        {
            Model(errors, "shadow", body.Shadow, catalog, allowEmpty: true);
        }
        Range(errors, "candidateShare", body.CandidateShare, 0, 100);
        Range(errors, "maxTokens", body.MaxTokens, 256, 200_000);
        Range(errors, "timeoutSeconds", body.TimeoutSeconds, 0, 3600);
        if (body.Temperature is { } temperature && !(temperature >= 0.0 && temperature <= 2.0))
        {
            errors.Add("temperature", $"must be between 0 and 2 (got {temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }
        FieldRules.Text(errors, "reason", body.Reason, required: true, maxLength: MaxReasonLength);
    }

    /// <summary>The route that results from applying <paramref name="body"/> to <paramref name="before"/>, with the cross-field rules.</summary>
    internal static StageRoute Apply(StageRoute before, ChangeStageRouteRequest body, ModelCatalogOptions catalog, FieldErrors errors)
    {
        var candidate = body.Candidate is null ? before.Candidate : NullIfEmpty(body.Candidate);
        var after = before with
        {
            Stable = body.Stable ?? before.Stable,
            Candidate = candidate,
            // Removing the candidate also removes its traffic, unless the request says otherwise (and then it is an error).
            CandidateShare = body.CandidateShare ?? (candidate is null ? 0 : before.CandidateShare),
            Shadow = body.Shadow is null ? before.Shadow : NullIfEmpty(body.Shadow),
            MaxTokens = body.MaxTokens ?? before.MaxTokens,
            Temperature = body.Temperature ?? before.Temperature,
            // 0 clears an override: the ceiling is derived from the output budget again.
            TimeoutSeconds = body.TimeoutSeconds is 0 ? null : body.TimeoutSeconds ?? before.TimeoutSeconds,
            Protected = body.Protected ?? before.Protected,
        };

        if (string.IsNullOrEmpty(after.Stable))
        {
            errors.Add("stable", "is required: the stage has no stable model yet.");
        }
        if (after.Candidate is not null && after.Candidate == after.Stable)
        {
            errors.Add("candidate", "must differ from the stable model (send \"\" to remove the candidate when promoting it).");
        }
        if (after.Shadow is not null && after.Shadow == after.Stable)
        {
            errors.Add("shadow", "must differ from the stable model.");
        }
        if (after.Candidate is null && after.CandidateShare > 0)
        {
            errors.Add("candidateShare", "needs a candidate model.");
        }
        if (after.MaxTokens is { } maxTokens)
        {
            foreach (var (field, id) in new[] { ("stable", after.Stable), ("candidate", after.Candidate), ("shadow", after.Shadow) })
            {
                if (id is not null && catalog.Find(id) is { } model && maxTokens > model.MaxOutputTokens)
                {
                    errors.Add("maxTokens", $"{maxTokens} is more than the {field} model {model.Id} can write ({model.MaxOutputTokens}).");
                }
            }
        }
        return after;
    }

    /// <summary>The operator whose API key authenticated the request: the history names the key's owner, not a header.</summary>
    internal static string Actor(HttpRequest request) => AdminOperator.Name(request.HttpContext);

    private static void Model(FieldErrors errors, string field, string id, ModelCatalogOptions catalog, bool allowEmpty)
    {
        if (id.Length == 0)
        {
            if (!allowEmpty)
            {
                errors.Add(field, "must not be empty.");
            }
            return;
        }
        if (catalog.Find(id) is null)
        {
            errors.Add(field, $"'{FieldRules.Truncate(id, 80)}' is not in the model catalogue; one of: {string.Join(", ", catalog.Catalog.Select(m => m.Id))}.");
        }
    }

    private static void Range(FieldErrors errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, $"must be between {min} and {max} (got {v}).");
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static ProblemHttpResult VersionNotFound(int version) =>
        TypedResults.Problem($"There is no routing version {version}.", statusCode: StatusCodes.Status404NotFound, title: "Routing version not found.");

    private static ProblemHttpResult Conflict(RoutingConflictException conflict) =>
        TypedResults.Problem(conflict.Message, statusCode: StatusCodes.Status409Conflict, title: "The routing changed concurrently.");

    /// <summary>Carries a refusal out of the change function, before anything is written.</summary>
    private sealed class RouteChangeRejected(ProblemHttpResult problem) : Exception("The routing change was rejected.")
    {
        public ProblemHttpResult Problem { get; } = problem;
    }
}
