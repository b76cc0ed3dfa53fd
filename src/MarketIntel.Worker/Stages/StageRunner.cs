using System.Diagnostics;
using System.Text.Json;
using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using MarketIntel.Storage.Rollout;
using MarketIntel.Worker.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace MarketIntel.Worker.Stages;

/// <summary>What to run: one stage of one job (or of an evaluation trial).</summary>
public sealed record StageRunRequest(string JobId, IStage Stage, StageInput Input, bool BypassCache = false)
{
    /// <summary>Told when the stage changes state (running, retrying, fallback) so the job view stays live.</summary>
    public Func<StageStatus, string, RouteKind, IReadOnlyList<StageAttempt>, Task>? OnProgress { get; init; }

    /// <summary>A routing used instead of the active one (evaluations run a baseline or a proposed routing).</summary>
    public RoutingDocument? Routing { get; init; }

    /// <summary>
    /// Told while a call streams, a few times a second at most: tokens so far against the budget and, for a Markdown
    /// stage, the text so far (the report being written).
    /// </summary>
    public Func<StageProgress, string?, Task>? OnStreaming { get; init; }
}

public sealed record StageRunResult(
    string Content, ValidationResult Validation, string Model, RouteKind Route, bool Cached, IReadOnlyList<StageAttempt> Attempts);

/// <summary>A stage that could not produce a valid output; the message says why, the attempts say how.</summary>
public sealed class StageFailedException(string message, IReadOnlyList<StageAttempt> attempts) : Exception(message)
{
    public IReadOnlyList<StageAttempt> Attempts { get; } = attempts;
}

/// <summary>
/// Runs one stage (docs/architecture.md §2.4): resolve the route, build the prompt within the model's window, serve from the cache or
/// call the model, parse, validate, re-ask with the validator's errors, fall back to the stable model when a candidate
/// fails, and record every attempt. The same runner serves user jobs and evaluations.
/// </summary>
public sealed partial class StageRunner(
    RoutingStore routing,
    StageCache cache,
    IOptions<ModelCatalogOptions> catalog,
    IOptions<StageRunnerOptions> options,
    IServiceProvider services,
    PipelineTelemetry telemetry,
    LiveMetrics liveMetrics,
    ModelServing serving,
    TimeProvider time,
    ILogger<StageRunner> logger)
{
    public async Task<StageRunResult> RunAsync(StageRunRequest request, CancellationToken cancellationToken)
    {
        var document = request.Routing ?? await routing.GetActiveAsync();
        var route = document.For(request.Stage.Number);
        var (model, kind) = RouteSelector.Choose(route, request.JobId, request.Stage.Number);
        var attempts = new List<StageAttempt>();

        var shadow = route.Shadow is { Length: > 0 } shadowModel && shadowModel != model
            ? RunShadowAsync(request, route, shadowModel, cancellationToken)
            : Task.FromResult<IReadOnlyList<StageAttempt>>([]);

        StageRunResult result;
        try
        {
            result = await RunOnModelAsync(request, route, model, kind, attempts, cancellationToken);
        }
        catch (StageFailedException failure) when (model != route.Stable && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Stage {Stage} failed on {Route} model {Model} ({Reason}); falling back to stable {Stable}",
                request.Stage.Number, kind, model, failure.Message, route.Stable);
            telemetry.Fallback(request.Stage.Number, model, route.Stable);
            await Report(request, StageStatus.Fallback, route.Stable, RouteKind.Fallback, attempts);
            result = await RunOnModelAsync(request, route, route.Stable, RouteKind.Fallback, attempts, cancellationToken);
        }

        var shadowAttempts = await shadow;
        return shadowAttempts.Count == 0 ? result : result with { Attempts = [.. result.Attempts, .. shadowAttempts] };
    }

    private async Task<StageRunResult> RunOnModelAsync(
        StageRunRequest request, StageRoute route, string modelId, RouteKind kind, List<StageAttempt> attempts, CancellationToken cancellationToken)
    {
        var stage = request.Stage;
        var spec = catalog.Value.Find(modelId)
            ?? throw new StageFailedException($"Model '{modelId}' routed to stage {stage.Number} is not in the catalogue.", attempts.ToList());
        var promptOptions = new PromptOptions(SchemaInPrompt: !spec.SupportsJsonSchema, FullResearchData: spec.IsLongContext);
        var sectioned = options.Value.SectionedReport ? stage as ISectionedStage : null;
        var wantedTokens = route.WantedTokens(stage);
        var prompt = sectioned is null ? stage.BuildPrompt(request.Input, promptOptions) : null;
        var maxTokens = prompt is null ? wantedTokens : FitOutput(stage, spec, prompt, wantedTokens, attempts);

        var cacheKey = StageCacheKey.Compute(stage, modelId, maxTokens, route.Temperature, promptOptions, request.Input.CanonicalInputsFor(stage),
            variant: stage is ISectionedStage && sectioned is null ? "single-call" : null);
        if (!request.BypassCache && await cache.GetAsync(cacheKey) is { } hit)
        {
            telemetry.Cache(stage.Number, hit: true);
            attempts.Add(new StageAttempt
            {
                Number = attempts.Count + 1,
                Model = modelId,
                Route = kind,
                Outcome = AttemptOutcome.Cached,
                StartedAt = time.GetUtcNow(),
                CacheHit = true,
                QualityScore = hit.Validation.QualityScore,
            });
            return new StageRunResult(hit.Content, hit.Validation, modelId, kind, Cached: true, attempts.ToList());
        }
        telemetry.Cache(stage.Number, hit: false);

        var call = new ModelCall(request, route, spec, kind, services.GetRequiredKeyedService<IChatClient>(modelId), attempts);
        string content;
        ValidationResult validation;
        var recorded = Task.CompletedTask;
        if (sectioned is null)
        {
            var part = new Part(null, null, prompt!, maxTokens, answer => stage.Validate(answer, request.Input));
            var progress = new StageProgressTracker(request, spec, maxTokens, time.GetUtcNow(), options.Value.ProgressInterval, time, [Part.Whole]);
            (content, validation, recorded) = await RunPartAsync(call, part, progress, cancellationToken);
        }
        else
        {
            (content, validation) = await RunSectionsAsync(call, sectioned, promptOptions, cancellationToken);
        }

        // Metrics and cache go out together: both lie on the stage's critical path. A shadow's output is never cached.
        var cached = kind != RouteKind.Shadow
            ? cache.SetAsync(cacheKey, new CachedStageOutput(content, validation, modelId, time.GetUtcNow()))
            : Task.CompletedTask;
        await Task.WhenAll(recorded, cached);
        return new StageRunResult(content, validation, modelId, kind, Cached: false, attempts.ToList());
    }

    /// <summary>
    /// One answer (the whole stage's, or one section's): call, validate, re-ask with the validator's findings, ask again
    /// when the stream broke off; every attempt is recorded under the stage.
    /// </summary>
    private async Task<(string Content, ValidationResult Validation, Task Recorded)> RunPartAsync(
        ModelCall call, Part part, StageProgressTracker progress, CancellationToken cancellationToken)
    {
        var stage = call.Request.Stage;
        var modelId = call.Spec.Id;
        var messages = new List<ChatMessage> { new(ChatRole.System, part.Prompt.System), new(ChatRole.User, part.Prompt.User) };
        var chatOptions = new ChatOptions
        {
            ModelId = modelId,
            MaxOutputTokens = part.MaxTokens,
            Temperature = (float)call.Route.Temperature,
            ResponseFormat = stage.OutputKind == StageOutputKind.Json
                ? part.Prompt.ResponseSchema is null || !call.Spec.SupportsJsonSchema
                    ? ChatResponseFormat.Json
                    : ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(part.Prompt.ResponseSchema), part.Prompt.SchemaName)
                : null,
        };

        var maxReasks = part.Key is null ? options.Value.MaxReasks : options.Value.MaxSectionReasks;
        var restarts = 0;
        for (var reask = 0; ; reask++)
        {
            await Report(call.Request, reask == 0 ? StageStatus.Running : StageStatus.Retrying, modelId, call.Kind, call.Snapshot());
            var (attempt, content, validation, interrupted) = await CallAsync(call, part, messages, chatOptions, reask > 0, progress, cancellationToken);
            call.Add(attempt);
            // Live metrics describe user traffic on the active routing; evaluations bring their own routing.
            var recorded = call.Request.Routing is null ? liveMetrics.RecordAsync(stage.Number, attempt) : Task.CompletedTask;
            if (validation is { IsValid: true })
            {
                // The caller awaits the metrics together with its own writes: both lie on the stage's critical path.
                return (content!, validation, recorded);
            }
            await recorded;
            if (interrupted && restarts < options.Value.MaxStreamRestarts)
            {
                // The answer broke off part-way: ask the same question again; it is not the model's content at fault.
                restarts++;
                reask--;
                telemetry.Retry(stage.Number, modelId, "stream interrupted");
                continue;
            }
            var what = part.Title is null ? "" : $" section '{part.Title}'";
            if (attempt.Outcome == AttemptOutcome.ProviderError)
            {
                throw new StageFailedException($"Stage {stage.Number} ({stage.Name}){what} failed on {modelId}: {string.Join("; ", attempt.Errors)}", call.Attempts.ToList());
            }
            if (reask >= maxReasks)
            {
                throw new StageFailedException(
                    $"Stage {stage.Number} ({stage.Name}){what} output from {modelId} failed validation after {reask + 1} attempts: "
                    + string.Join("; ", attempt.Errors.Take(5)),
                    call.Attempts.ToList());
            }

            // Re-ask with the validator's findings: a different request, so the provider cannot replay the bad answer.
            telemetry.Retry(stage.Number, modelId, "validation");
            messages = ReaskMessages(messages, content, ModelAnswer.ReaskPrompt(stage, attempt.Errors, section: part.Key is not null), call.Spec, part.MaxTokens);
        }
    }

    /// <summary>The output budget a prompt leaves on the model; a prompt that leaves too little fails the stage now.</summary>
    private static int FitOutput(IStage stage, ModelSpec spec, StagePrompt prompt, int wantedTokens, List<StageAttempt> attempts)
    {
        try
        {
            return ContextBudget.OutputTokens(spec, prompt.Length, wantedTokens, MinimumOutputTokens(stage, wantedTokens));
        }
        catch (ContextBudgetExceededException e)
        {
            throw new StageFailedException(e.Message, attempts.ToList());
        }
    }

    /// <summary>
    /// The conversation of a re-ask: the previous answer and the validator's findings. When the previous answer would
    /// push the request past the model's window (a full report on a 24K model), the findings go with the original prompt
    /// alone; otherwise the provider would refuse the re-ask as too long.
    /// </summary>
    private static List<ChatMessage> ReaskMessages(List<ChatMessage> messages, string? previous, string findings, ModelSpec spec, int maxTokens)
    {
        List<ChatMessage> withAnswer = [.. messages, new(ChatRole.Assistant, previous ?? ""), new(ChatRole.User, findings)];
        return ContextBudget.AvailableOutputTokens(spec, withAnswer.Sum(m => m.Text.Length)) >= maxTokens
            ? withAnswer
            : [messages[0], messages[1], new(ChatRole.User, findings)];
    }

    private async Task<CallOutcome> CallAsync(
        ModelCall call, Part part, List<ChatMessage> messages, ChatOptions chatOptions, bool reask, StageProgressTracker progress, CancellationToken cancellationToken)
    {
        var (request, spec, kind, client, route) = (call.Request, call.Spec, call.Kind, call.Client, call.Route);
        var stage = request.Stage;
        using var activity = PipelineTelemetry.Source.StartActivity($"stage {stage.Number} {stage.Name}");
        activity?.SetTag("marketintel.stage", stage.Number);
        activity?.SetTag("marketintel.route", kind.ToString().ToLowerInvariant());
        activity?.SetTag("marketintel.job_id", request.JobId);
        activity?.SetTag("gen_ai.request.model", spec.Id);
        activity?.SetTag("marketintel.cache_hit", false);
        activity?.SetTag("marketintel.reask", reask);
        if (part.Key is not null)
        {
            activity?.SetTag("marketintel.section", part.Key);
        }

        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var callContext = new ModelCallContext
        {
            Timeouts = CallTimeouts.For(spec, part.MaxTokens, route.TimeoutSeconds), JobId = request.JobId, Stage = stage.Number,
        };
        var provider = serving.For(spec.Id);
        var stream = new StreamedAnswer(progress, part.Key ?? Part.Whole);
        try
        {
            using (ModelCallContext.Begin(callContext))
            {
                await foreach (var update in client.GetStreamingResponseAsync(messages, chatOptions, cancellationToken))
                {
                    await stream.AddAsync(update);
                }
            }
        }
        catch (BudgetExceededException e)
        {
            logger.LogWarning("Stage {Stage} of job {JobId}: no call to {Model}: {Reason}", stage.Number, request.JobId, spec.Id, e.Message);
            throw new StageFailedException($"Stage {stage.Number} ({stage.Name}): {e.Message}", call.Snapshot());
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ModelCallErrors.Describe(e);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            logger.LogWarning("Stage {Stage} call to {Model} failed after {Retries} retries and {Tokens} streamed tokens: {Reason}",
                stage.Number, spec.Id, callContext.Retries, callContext.TokensOut, reason);
            RecordRetries(stage.Number, spec.Id, callContext);
            var failed = new StageAttempt
            {
                Number = 0, // numbered when recorded (ModelCall.Add)
                Section = part.Key,
                Model = spec.Id,
                Provider = provider,
                Route = kind,
                Outcome = AttemptOutcome.ProviderError,
                StartedAt = started,
                DurationMs = stopwatch.Elapsed.TotalMilliseconds,
                // What streamed before the failure was generated, and charged (BudgetChatClient).
                TokensIn = callContext.TokensIn,
                TokensOut = callContext.TokensOut,
                Cost = callContext.Cost,
                Retries = callContext.Retries,
                RetryReasons = callContext.RetryReasons.ToList(),
                Reask = reask,
                Fallback = kind == RouteKind.Fallback,
                Errors = [reason],
            };
            telemetry.Attempt(stage.Number, spec.Id, kind, callContext.TokensIn, callContext.TokensOut, callContext.Cost, null, valid: false);
            return new CallOutcome(failed, null, null, Interrupted: e is ModelStreamException { Started: true });
        }
        // The attempt's duration is the model's latency (with provider retries): parsing and validating are ours.
        var modelLatency = stopwatch.Elapsed;
        RecordRetries(stage.Number, spec.Id, callContext);

        var response = stream.ToResponse();
        var reply = response.Text ?? "";
        var (tokensIn, tokensOut, cost) = (callContext.TokensIn, callContext.TokensOut, callContext.Cost);
        var (content, validation) = ModelAnswer.ParseAndValidate(stage, reply, response.FinishReason, part.Validate);

        activity?.SetTag("marketintel.quality", validation.QualityScore);
        activity?.SetTag("marketintel.cost", (double)cost);
        activity?.SetTag("marketintel.valid", validation.IsValid);
        telemetry.Attempt(stage.Number, spec.Id, kind, tokensIn, tokensOut, cost, validation.QualityScore, validation.IsValid);

        var attempt = new StageAttempt
        {
            Number = 0, // numbered when recorded (ModelCall.Add)
            Section = part.Key,
            Model = spec.Id,
            Provider = provider,
            Route = kind,
            Outcome = validation.IsValid ? AttemptOutcome.Succeeded : AttemptOutcome.Invalid,
            StartedAt = started,
            DurationMs = modelLatency.TotalMilliseconds,
            TokensIn = tokensIn,
            TokensOut = tokensOut,
            Cost = cost,
            QualityScore = validation.QualityScore,
            Retries = callContext.Retries,
            RetryReasons = callContext.RetryReasons.ToList(),
            Reask = reask,
            Fallback = kind == RouteKind.Fallback,
            FinishReason = response.FinishReason?.Value,
            Placeholders = validation.Metrics.PlaceholderCount,
            EmptyFields = validation.Metrics.EmptyFieldCount,
            Errors = validation.Errors.Concat(validation.Warnings.Select(w => "warning: " + w)).ToList(),
        };
        return new CallOutcome(attempt, content, validation, Interrupted: false);
    }

    private sealed record CallOutcome(StageAttempt Attempt, string? Content, ValidationResult? Validation, bool Interrupted);

    /// <summary>Enough room for a useful answer: a full report needs far more than a JSON stage.</summary>
    private static int MinimumOutputTokens(IStage stage, int wanted) =>
        Math.Min(wanted, stage.OutputKind == StageOutputKind.Markdown ? 7000 : 1000);

    private void RecordRetries(int stage, string model, ModelCallContext context)
    {
        foreach (var reason in context.RetryReasons)
        {
            telemetry.Retry(stage, model, reason);
        }
    }

    private async Task<IReadOnlyList<StageAttempt>> RunShadowAsync(StageRunRequest request, StageRoute route, string shadowModel, CancellationToken cancellationToken)
    {
        var attempts = new List<StageAttempt>();
        try
        {
            // The shadow never reads or fills the cache and never reports progress: its output is only measured.
            var shadowRequest = request with { BypassCache = true, OnProgress = null, OnStreaming = null };
            await RunOnModelAsync(shadowRequest, route, shadowModel, RouteKind.Shadow, attempts, cancellationToken);
        }
        catch (StageFailedException e)
        {
            logger.LogInformation("Shadow {Model} failed stage {Stage}: {Reason}", shadowModel, request.Stage.Number, e.Message);
        }
        return attempts;
    }

    private static Task Report(StageRunRequest request, StageStatus status, string model, RouteKind kind, IReadOnlyList<StageAttempt> attempts) =>
        request.OnProgress?.Invoke(status, model, kind, attempts.ToList()) ?? Task.CompletedTask;
}

public sealed class StageRunnerOptions
{
    public const string SectionName = "Stages";

    /// <summary>
    /// How often an answer is re-asked with the validator's errors before the stage fails. Real models fix most findings
    /// when shown them, not all (docs/emulator.md, realistic behaviour): at an 80 % fix rate a wrong first answer still
    /// fails after three re-asks 0.8 % of the time, after two 4 %, and a full job asks some 20 answers.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 4)]
    public int MaxReasks { get; init; } = 3;

    /// <summary>The same for one section of a sectioned stage: a section is a small call, and real models most often
    /// miss its length, so it gets one more.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 6)]
    public int MaxSectionReasks { get; init; } = 4;

    /// <summary>How often a call whose stream broke off part-way (stalled, connection lost) is made again.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 5)]
    public int MaxStreamRestarts { get; init; } = 2;

    /// <summary>
    /// Whether a sectioned stage (the report) is written section by section (docs/report.md) or, as before, in one call;
    /// the single call stays for comparison and as an escape hatch.
    /// </summary>
    public bool SectionedReport { get; init; } = true;

    /// <summary>Shortest gap between two progress writes of a streaming call: a few a second, never one per token.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
