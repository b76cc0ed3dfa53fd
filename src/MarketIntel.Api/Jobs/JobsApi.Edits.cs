using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MarketIntel.Api.Http;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketIntel.Api.Jobs;

public static partial class JobsApi
{
    /// <summary>The research stages whose outputs a user may edit (docs/domain.md §9 D10); the report (6) is regenerated instead.</summary>
    private const int LastEditableStage = 5;

    private static IEndpointRouteBuilder MapStageEdits(this IEndpointRouteBuilder jobs)
    {
        jobs.MapPut("/{id}/stages/{stage:int}", EditStageOutputAsync)
            .Accepts<JsonObject>("application/json")
            .WithName("EditStageOutput")
            .WithSummary("Save an edited research output (stages 1-5) as a new version")
            .WithDescription("The body is the stage's JSON object, checked by the stage's own validator. A valid edit is " +
                "stored as a new version (the model's original stays version 1), recorded as a job event, and marks the " +
                "job's downstream stages stale until the job is re-run.");

        jobs.MapGet("/{id}/stages/{stage:int}/versions", ListStageVersionsAsync)
            .WithName("ListStageVersions")
            .WithSummary("Every version of a stage output: number, source (model or user), time and quality");
        return jobs;
    }

    private static async Task<Results<Ok<StageOutputView>, ProblemHttpResult>> EditStageOutputAsync(
        string id, int stage, HttpRequest request, JobStore store, CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        if (stage is < 1 or > LastEditableStage)
        {
            return TypedResults.Problem($"Only the research outputs of stages 1-{LastEditableStage} can be edited; stage {stage} cannot.",
                statusCode: StatusCodes.Status400BadRequest, title: "This stage cannot be edited.");
        }
        if (!job.Record.Stages.Contains(stage))
        {
            return NoSuchStage(job, stage);
        }
        if (job.Status is JobStatus.Queued or JobStatus.Running)
        {
            return TypedResults.Problem($"Job {id} is {job.Status.ToString().ToLowerInvariant()}; edit its outputs once it has finished.",
                statusCode: StatusCodes.Status409Conflict, title: "The job is still running.");
        }
        if (await store.GetLatestOutputAsync(id, stage) is null)
        {
            return TypedResults.Problem($"Stage {stage} of job {id} has no output to edit.",
                statusCode: StatusCodes.Status409Conflict, title: "No output yet.");
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var definition = StageCatalog.Get(stage);
        var outputs = new Dictionary<int, string>();
        foreach (var read in definition.Reads)
        {
            if (await store.GetLatestOutputAsync(id, read) is { } output)
            {
                outputs[read] = output.Content;
            }
        }
        var content = body!.ToJsonString();
        Pipeline.Validation.ValidationResult validation;
        try
        {
            validation = definition.Validate(content, new StageInput(job.Record.Profile, job.Record.Preferences, outputs));
        }
        catch (StageInputException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "The stage's inputs are missing.");
        }
        if (!validation.IsValid)
        {
            return JsonBody.Validation(ValidationErrors(validation.Errors), $"The edited output of stage {stage} is invalid.");
        }

        var now = store.Time.GetUtcNow();
        var version = await store.AppendOutputAsync(id, stage, v => new StageOutputVersion
        {
            Version = v,
            Source = OutputSource.User,
            CreatedAt = now,
            Content = content,
            Validation = validation,
        });

        var stale = StageGraph.Downstream(stage).Where(job.Record.Stages.Contains).ToList();
        var changed = stale
            .Where(job.Stages.ContainsKey)
            .Select(n => job.Stages[n] with { Stale = true })
            .ToList();
        if (job.Stages.TryGetValue(stage, out var edited))
        {
            changed.Add(edited with { QualityScore = validation.QualityScore, Stale = false });
        }
        await store.PutStagesAsync(id, changed);
        await store.AppendEventAsync(id, new JobEvent
        {
            Type = "stage",
            Stage = stage,
            Status = "Edited",
            Message = stale.Count == 0
                ? $"Version {version} saved by the user."
                : $"Version {version} saved by the user; stale until re-run: stages {string.Join(", ", stale)}.",
            At = now,
        });

        var saved = await store.GetOutputVersionAsync(id, stage, version);
        return TypedResults.Ok(ToView(definition, saved!, version));
    }

    private static async Task<Results<Ok<StageVersionsView>, ProblemHttpResult>> ListStageVersionsAsync(string id, int stage, JobStore store)
    {
        if (!JobIds.IsValid(id) || await store.GetAsync(id) is not { } job)
        {
            return JobNotFound(id);
        }
        if (!job.Record.Stages.Contains(stage))
        {
            return NoSuchStage(job, stage);
        }
        var versions = await store.ListOutputVersionsAsync(id, stage);
        return TypedResults.Ok(new StageVersionsView(
            stage,
            StageCatalog.Get(stage).Name,
            versions.Select(v => new StageVersionView(
                v.Version, v.Source.ToString().ToLowerInvariant(), v.CreatedAt, v.Model, v.Validation.QualityScore, v.Validation.IsValid)).ToList()));
    }

    private static ProblemHttpResult NoSuchStage(JobSnapshot job, int stage) =>
        TypedResults.Problem($"Job {job.Record.Id} has no stage {stage}; it runs stages {string.Join(", ", job.Record.Stages)}.",
            statusCode: StatusCodes.Status404NotFound, title: "No such stage.");

    private static StageOutputView ToView(IStage definition, StageOutputVersion output, int versions)
    {
        var content = definition.OutputKind == StageOutputKind.Json ? JsonNode.Parse(output.Content) : JsonValue.Create(output.Content);
        return new StageOutputView(definition.Number, definition.Name, output.Version, versions,
            output.Source.ToString().ToLowerInvariant(), output.CreatedAt, output.Model, content, output.Validation);
    }

    /// <summary>
    /// Validator messages keyed by the field they name: "pricing_tiers[1].price must be …" → "pricing_tiers[1].price".
    /// A message about the whole output (or one that names no field) is keyed "body".
    /// </summary>
    internal static IDictionary<string, string[]> ValidationErrors(IEnumerable<string> errors)
    {
        var fields = new Pipeline.Validation.FieldErrors();
        foreach (var error in errors)
        {
            var match = FieldPathPattern().Match(error);
            var field = match.Success && match.Groups["path"].Value != "output" ? match.Groups["path"].Value : "body";
            fields.Add(field, error);
        }
        return fields.ToDictionary();
    }

    [GeneratedRegex(@"^(?<path>[a-z][a-z0-9_]*(\[[0-9]+\])*(\.[a-z][a-z0-9_]*(\[[0-9]+\])*)*) ", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPathPattern();

    private static bool TryParseVersion(string version, out int number) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= 1;
}
