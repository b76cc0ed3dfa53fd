using System.Text.Json;
using System.Text.Json.Serialization;
using MarketIntel.Api.Http;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Evaluation;
using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Rollout;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using MarketIntel.Storage.Rollout;
using Microsoft.Extensions.Options;

namespace MarketIntel.Api.Evaluations;

/// <summary>Body of <c>POST /api/evaluations</c>.</summary>
public sealed record CreateEvaluationRequest
{
    /// <summary>"active" (the active routing's stable models) or a routing document shaped like <c>GET /api/routing</c>.</summary>
    public JsonElement? Routing { get; init; }

    /// <summary>1-20; default 1.</summary>
    public int? Trials { get; init; }

    /// <summary>Sample ids (file names of Samples/*.json without extension); absent or empty = all.</summary>
    public IReadOnlyList<string>? Samples { get; init; }

    public int? Phase { get; init; }

    /// <summary>"baseline" or "candidate"; default baseline for "active", candidate for a document.</summary>
    public string? Kind { get; init; }
}

/// <summary>What <c>GET /api/evaluations/{id}</c> answers: progress while it runs, the result when done.</summary>
public sealed record EvaluationView(
    string Id,
    EvaluationStatus Status,
    EvaluationKind Kind,
    int? Phase,
    int Trials,
    IReadOnlyList<string> Samples,
    int Completed,
    int Total,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Messages,
    EvaluationResult? Result);

/// <summary>
/// Evaluation runs (docs/architecture.md §5, §6): queue a run of the sample suite on a routing, follow it, compare two finished runs.
/// Admin routes: every endpoint needs the admin API key. Bodies and answers use the snake_case JSON of result files, so
/// a downloaded result is the file <c>eval compare</c> reads.
/// </summary>
public static class EvaluationsApi
{
    private static readonly JsonSerializerOptions RoutingJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = JsonBody.MaxDepth,
    };

    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/evaluations").WithTags("Evaluations").RequireAdminKey();

        group.MapPost("/", CreateAsync)
            .Accepts<CreateEvaluationRequest>("application/json")
            .Produces<EvaluationView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .WithName("CreateEvaluation")
            .WithSummary("Queue an evaluation of the sample suite on the active stable routing or a proposed routing");

        group.MapGet("/compare", CompareAsync)
            .Produces<EvaluationComparison>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CompareEvaluations")
            .WithSummary("Verdict per stage of a candidate against a baseline (format=json|md|html)");

        group.MapGet("/{id}", GetAsync)
            .Produces<EvaluationView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetEvaluation")
            .WithSummary("Progress of an evaluation and, when finished, its result");

        return app;
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, EvaluationStore store, IOptions<ModelCatalogOptions> catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateEvaluationRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        RoutingDocument? routing = null;
        switch (body!.Routing)
        {
            case null:
            case { ValueKind: JsonValueKind.String } s when s.GetString() == "active":
                break;
            case { ValueKind: JsonValueKind.Object } document:
                routing = ReadRouting(document, catalog.Value, errors);
                break;
            default:
                errors.Add("routing", "must be \"active\" or a routing document ({\"stages\": {\"1\": {\"stable\": \"…\"}, …}}).");
                break;
        }

        var trials = body.Trials ?? 1;
        if (trials is < EvaluationRequest.MinTrials or > EvaluationRequest.MaxTrials)
        {
            errors.Add("trials", $"must be from {EvaluationRequest.MinTrials} to {EvaluationRequest.MaxTrials} (got {trials}).");
        }
        if (body.Phase is < 0 or > 100)
        {
            errors.Add("phase", $"must be from 0 to 100 (got {body.Phase}).");
        }

        EvaluationKind kind = routing is null ? EvaluationKind.Baseline : EvaluationKind.Candidate;
        if (body.Kind is { } kindText)
        {
            if (kindText is "baseline" or "candidate")
            {
                kind = kindText == "baseline" ? EvaluationKind.Baseline : EvaluationKind.Candidate;
            }
            else
            {
                errors.Add("kind", "must be \"baseline\" or \"candidate\".");
            }
        }

        var known = SampleSuite.LoadAll().Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var samples = body.Samples ?? [];
        for (var i = 0; i < samples.Count; i++)
        {
            if (samples[i] is null || !known.Contains(samples[i]))
            {
                errors.Add($"samples[{i}]", $"is not a sample of the suite; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
        if (samples.Distinct(StringComparer.Ordinal).Count() != samples.Count)
        {
            errors.Add("samples", "must not repeat a sample.");
        }

        if (!errors.IsEmpty)
        {
            return JsonBody.Validation(errors.ToDictionary(), "The evaluation request is invalid.");
        }

        var evaluation = new EvaluationRequest
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = kind,
            Phase = body.Phase,
            Trials = trials,
            Samples = samples.ToList(),
            Routing = routing,
            CreatedAt = time.GetUtcNow(),
        };
        await store.CreateAsync(evaluation);
        var snapshot = await store.GetAsync(evaluation.Id);
        var view = TypedResults.Json(View(snapshot!), PipelineJson.Options, statusCode: StatusCodes.Status202Accepted);
        return new Accepted(view, $"/api/evaluations/{evaluation.Id}");
    }

    private static async Task<IResult> GetAsync(string id, EvaluationStore store) =>
        IsId(id) && await store.GetAsync(id) is { } snapshot
            ? TypedResults.Json(View(snapshot), PipelineJson.Options)
            : NotFound(id);

    private static async Task<IResult> CompareAsync(
        string? baseline, string? candidate, string? format, EvaluationStore store, IOptions<EvaluationGates> gates,
        RedisEvaluationVerdicts verdicts, IOptions<RolloutOptions> plan)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(baseline))
        {
            errors.Add("baseline", "is required: the id of a finished baseline evaluation.");
        }
        if (string.IsNullOrWhiteSpace(candidate))
        {
            errors.Add("candidate", "is required: the id of a finished candidate evaluation.");
        }
        var wanted = (format ?? "json").ToLowerInvariant();
        if (wanted is not ("json" or "md" or "html"))
        {
            errors.Add("format", "must be json, md or html.");
        }
        if (!errors.IsEmpty)
        {
            return JsonBody.Validation(errors.ToDictionary(), "The comparison request is invalid.");
        }

        var results = new List<EvaluationResult>();
        foreach (var id in new[] { baseline!, candidate! })
        {
            if (!IsId(id) || await store.GetAsync(id) is not { } snapshot)
            {
                return NotFound(id);
            }
            if (snapshot.Result is not { } result)
            {
                return TypedResults.Problem($"Evaluation {id} is {snapshot.Status.ToString().ToLowerInvariant()}; only a finished evaluation can be compared.",
                    statusCode: StatusCodes.Status409Conflict, title: "The evaluation has no result yet.");
            }
            results.Add(result);
        }

        var comparison = EvaluationComparer.Compare(results[0], results[1], gates.Value);
        // Comparing a phase's candidate against the baseline is what judges the phase: applying it needs this verdict. A
        // comparison that evaluated other stages or another model than the phase's is recorded as a failure, with why.
        if (results[1].Phase is { } phase && comparison.Verdict != Verdict.Inconclusive)
        {
            var scope = plan.Value.Find(phase) is { } planned
                ? VerdictRules.ScopeProblems(planned, results[0].Routing, results[1].Routing)
                : [];
            await verdicts.RecordAsync(phase, comparison.Verdict == Verdict.Pass && scope.Count == 0, candidate,
                scope.Count > 0
                    ? $"Compared with baseline {baseline}, but not an evaluation of phase {phase}: {string.Join("; ", scope)}."
                    : $"Compared with baseline {baseline}: {comparison.Verdict.ToString().ToLowerInvariant()}.");
        }
        return wanted switch
        {
            "md" => TypedResults.Text(EvaluationReport.ToMarkdown(comparison), "text/markdown; charset=utf-8"),
            "html" => TypedResults.Text(EvaluationReport.ToHtml(comparison), "text/html; charset=utf-8"),
            _ => TypedResults.Json(comparison, PipelineJson.Options),
        };
    }

    /// <summary>A proposed routing: every stage of the catalogue, values in range, models from the catalogue.</summary>
    private static RoutingDocument? ReadRouting(JsonElement element, ModelCatalogOptions catalog, FieldErrors errors)
    {
        RoutingDocument? document;
        try
        {
            document = element.Deserialize<RoutingDocument>(RoutingJson);
        }
        catch (JsonException e)
        {
            errors.Add("routing" + (string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.TrimStart('$')),
                e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "Unknown field." : "Wrong type or not valid JSON for this field.");
            return null;
        }
        if (document is null)
        {
            errors.Add("routing", "must be a routing document.");
            return null;
        }
        foreach (var stage in StageCatalog.All.Select(s => s.Number).Where(n => !document.Stages.ContainsKey(n)))
        {
            errors.Add($"routing.stages.{stage}", "is missing: a proposed routing names a route for every stage.");
        }
        foreach (var (number, route) in document.Stages)
        {
            var field = $"routing.stages.{number}";
            if (!StageCatalog.Exists(number))
            {
                errors.Add(field, "is not a stage.");
                continue;
            }
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(route, new System.ComponentModel.DataAnnotations.ValidationContext(route), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    errors.Add(field + "." + JsonNamingPolicy.CamelCase.ConvertName(result.MemberNames.FirstOrDefault() ?? ""), result.ErrorMessage ?? "is invalid.");
                }
            }
            foreach (var (name, model) in new[] { ("stable", route.Stable), ("candidate", route.Candidate), ("shadow", route.Shadow) })
            {
                if (!string.IsNullOrEmpty(model) && catalog.Find(model) is null)
                {
                    errors.Add($"{field}.{name}", $"'{Text.Truncate(model)}' is not in the model catalogue.");
                }
            }
        }
        return errors.IsEmpty ? document with { Version = 0 } : null;
    }

    private static EvaluationView View(EvaluationSnapshot s) => new(
        s.Request.Id, s.Status, s.Request.Kind, s.Request.Phase, s.Request.Trials, s.Request.Samples, s.Completed, s.Total, s.Error,
        s.Request.CreatedAt, s.StartedAt, s.FinishedAt, s.Messages, s.Result);

    /// <summary>Evaluation ids are GUIDs in "N" form; anything else is not looked up.</summary>
    private static bool IsId(string id) => id.Length == 32 && Guid.TryParseExact(id, "N", out _);

    private static IResult NotFound(string id) =>
        TypedResults.Problem($"There is no evaluation '{Text.Truncate(id)}'.", statusCode: StatusCodes.Status404NotFound, title: "Evaluation not found.");

    /// <summary>202 with a Location header and the view as body.</summary>
    private sealed class Accepted(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
