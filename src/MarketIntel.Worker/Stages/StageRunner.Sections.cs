using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using Microsoft.Extensions.AI;

namespace MarketIntel.Worker.Stages;

/// <summary>The stage runner's sectioned stages (docs/report.md) and the types every answer of a stage shares.</summary>
public sealed partial class StageRunner
{
    /// <summary>
    /// A sectioned stage (docs/report.md): its sections side by side on the stage's one model, each validated and
    /// re-asked on its own, then the summary from what they wrote, then the whole assembled by code and validated.
    /// </summary>
    private async Task<(string Content, ValidationResult Validation)> RunSectionsAsync(
        ModelCall call, ISectionedStage stage, PromptOptions promptOptions, CancellationToken cancellationToken)
    {
        var input = call.Request.Input;
        var sections = stage.Sections(input, promptOptions);
        var budget = sections.Sum(s => s.MaxTokens);
        var progress = new StageProgressTracker(call.Request, call.Spec, budget, time.GetUtcNow(), options.Value.ProgressInterval, time,
            sections.Select(s => s.Key).ToList());

        Part PartOf(StageSection section) => new(section.Key, section.Title, section.Prompt,
            FitOutput(stage, call.Spec, section.Prompt, section.MaxTokens, call.Attempts), answer => stage.ValidateSection(section, answer, input));

        var parts = sections.Select(PartOf).ToList();
        // Sibling sections stop as soon as one fails for good: the stage has failed.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = parts.Select(async part =>
        {
            try
            {
                var (content, _, recorded) = await RunPartAsync(call, part, progress, failed.Token);
                await recorded;
                return (part.Key!, content);
            }
            catch (StageFailedException)
            {
                await failed.CancelAsync();
                throw;
            }
        }).ToList();
        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception) when (running.FirstOrDefault(t => t.Exception?.InnerException is StageFailedException) is { } first)
        {
            throw first.Exception!.InnerException!;
        }
        var written = running.Select(t => t.Result).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

        var summary = PartOf(stage.Summary(input, written, promptOptions));
        var (summaryText, _, summaryRecorded) = await RunPartAsync(call, summary, progress, cancellationToken);
        await summaryRecorded;
        written[summary.Key!] = summaryText;

        var content = stage.Assemble(input, written);
        var validation = stage.Validate(content, input);
        if (!validation.IsValid)
        {
            throw new StageFailedException(
                $"Stage {stage.Number} ({stage.Name}): the assembled report from {call.Spec.Id} failed validation: "
                + string.Join("; ", validation.Errors.Take(5)),
                call.Attempts.ToList());
        }
        return (content, validation);
    }

    /// <summary>One stage on one model: what every call of it shares. Sections record their attempts concurrently.</summary>
    private sealed class ModelCall(StageRunRequest request, StageRoute route, ModelSpec spec, RouteKind kind, IChatClient client, List<StageAttempt> attempts)
    {
        public StageRunRequest Request => request;
        public StageRoute Route => route;
        public ModelSpec Spec => spec;
        public RouteKind Kind => kind;
        public IChatClient Client => client;
        public List<StageAttempt> Attempts => attempts;

        /// <summary>Records an attempt, numbered in the order attempts end (sections run side by side).</summary>
        public void Add(StageAttempt attempt)
        {
            lock (attempts)
            {
                attempts.Add(attempt with { Number = attempts.Count + 1 });
            }
        }

        public List<StageAttempt> Snapshot()
        {
            lock (attempts)
            {
                return [.. attempts];
            }
        }
    }

    /// <summary>What one answer asks for: the whole stage's (no key) or one section's.</summary>
    private sealed record Part(string? Key, string? Title, StagePrompt Prompt, int MaxTokens, Func<string, ValidationResult> Validate)
    {
        public const string Whole = "";
    }
}
