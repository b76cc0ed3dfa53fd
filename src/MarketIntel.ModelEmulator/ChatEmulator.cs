using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace MarketIntel.ModelEmulator;

/// <summary>What the emulated model does with one request: an HTTP failure, or an answer after a delay.</summary>
internal abstract record Decision(string Outcome, TimeSpan Delay);

internal sealed record FailureDecision(string Outcome, TimeSpan Delay, int StatusCode, WorkersAiErrors.Body Body, bool RetryAfter)
    : Decision(Outcome, Delay);

/// <summary>
/// An answer, complete after <paramref name="Delay"/>; streamed, its first token comes after <paramref name="FirstToken"/>,
/// and with <paramref name="StallAfterFraction"/> set it stops after that share of its chunks for <paramref name="StallFor"/>.
/// </summary>
internal sealed record AnswerDecision(string Outcome, TimeSpan Delay, string Id, string Content, string FinishReason, ChatUsage Usage,
    TimeSpan FirstToken, double? StallAfterFraction = null, TimeSpan StallFor = default)
    : Decision(Outcome, Delay);

/// <summary>
/// The emulated model: checks the context window and the schema size, draws the profile's faults from the seeded
/// sequence, writes the answer (a schema instance or a Markdown report) from the request alone and works out how long it
/// takes. What it writes follows the instructions the request states (the schema, the prompt's sentences, its fixed
/// values, its outline and length line); a realistic profile strays from them as real models do.
/// </summary>
internal sealed class ChatEmulator(EmulatorRandom random, EmulatorStats stats, IOptions<EmulatorOptions> options)
{
    public static int EstimateTokens(int characters) => (characters + 3) / 4;

    public Decision Decide(ChatRequest request, ModelProfile profile)
    {
        var decision = DecideCore(request, profile);
        stats.Record(request.Model, decision.Outcome);
        return decision;
    }

    private Decision DecideCore(ChatRequest request, ModelProfile profile)
    {
        var scale = options.Value.LatencyScale;
        var firstToken = TimeSpan.FromMilliseconds(profile.TimeToFirstTokenMs * scale);
        var promptTokens = EstimateTokens(request.PromptCharacters);
        if (promptTokens + (request.MaxTokens ?? 0) > profile.ContextWindow)
        {
            return new FailureDecision(Outcomes.ContextWindow, TimeSpan.Zero, StatusCodes.Status400BadRequest, WorkersAiErrors.ContextWindow, false);
        }

        var schema = request.FindSchema();
        if (schema is not null && profile.FailSchemaFieldsAbove is { } limit && SchemaInstanceGenerator.CountLeafFields(schema) > limit)
        {
            return new FailureDecision(Outcomes.Schema500, firstToken, StatusCodes.Status500InternalServerError, WorkersAiErrors.InternalError, false);
        }
        if (Roll(profile.QuotaExhaustedRate))
        {
            return new FailureDecision(Outcomes.Quota, TimeSpan.Zero, StatusCodes.Status429TooManyRequests, WorkersAiErrors.QuotaExhausted, false);
        }
        if (Roll(profile.Http429Rate))
        {
            return new FailureDecision(Outcomes.Http429, TimeSpan.Zero, StatusCodes.Status429TooManyRequests, WorkersAiErrors.Capacity, true);
        }
        if (Roll(profile.Http500Rate))
        {
            return new FailureDecision(Outcomes.Http500, firstToken, StatusCodes.Status500InternalServerError, WorkersAiErrors.InternalError, false);
        }
        var timeout = Roll(profile.TimeoutRate);
        var stall = request.Stream && !timeout && Roll(profile.StallRate);
        // A realistic model asked again with its errors follows the instructions this time, or most of the time does.
        var realism = profile.Behaviour == ModelBehaviour.Realistic && !(request.IsReask && Roll(profile.ReaskFixRate))
            ? Realism.From(profile)
            : null;

        var rng = random.Fork();
        var allText = request.AllText;
        var profileData = ProfileData.Parse(allText);
        var fixedValues = Honoured(FixedValues.Parse(allText), rng, realism);
        JsonNode? json = null;
        string content;
        if (schema is not null)
        {
            json = Instance(schema, rng, profileData, compact: false, realism, allText, fixedValues);
            content = json?.ToJsonString() ?? "null";
            // A good model keeps its answer well inside the output budget it was given: when the first draft would use
            // more than 80 % of it, write the compact version (fewest items, shortest sentences) instead.
            if (request.MaxTokens is { } budget && EstimateTokens(content.Length) > budget * 0.8)
            {
                json = Instance(schema, rng, profileData, compact: true, realism, allText, fixedValues);
                content = json?.ToJsonString() ?? "null";
            }
        }
        else if (request.ResponseFormatType == "json_object")
        {
            json = new JsonObject { ["answer"] = new TextComposer(rng, profileData).Sentence("answer", rng.Next(1000)) };
            FixedValues.Apply(json, fixedValues);
            content = json.ToJsonString(ContentFaults.Indented);
        }
        else
        {
            content = new MarkdownReportGenerator(rng, profileData, realism).Generate(allText);
        }

        var outcome = timeout ? Outcomes.Timeout : stall ? Outcomes.Stall : Outcomes.Ok;
        var finishReason = "stop";
        if (!timeout)
        {
            var (spoiled, spoilOutcome, spoilFinish) = Spoil(content, json, profile, rng);
            (content, finishReason) = (spoiled, spoilFinish);
            outcome = stall ? outcome : spoilOutcome;
        }

        var completionTokens = EstimateTokens(content.Length);
        if (request.MaxTokens is { } maxTokens && completionTokens > maxTokens)
        {
            // A real model stops where its output budget ends.
            content = content[..(maxTokens * 4)];
            completionTokens = maxTokens;
            finishReason = "length";
            outcome = outcome == Outcomes.Ok ? Outcomes.Truncated : outcome;
        }

        var delay = timeout
            ? TimeSpan.FromMilliseconds(profile.TimeoutDelayMs)
            : TimeSpan.FromMilliseconds((profile.TimeToFirstTokenMs + completionTokens / profile.TokensPerSecond * 1000) * scale);
        var usage = new ChatUsage(promptTokens, completionTokens, promptTokens + completionTokens);
        var id = $"chatcmpl-{rng.NextInt64():x16}";
        // A held-back answer (the timeout fault) sends nothing until it is due.
        var first = timeout ? delay : firstToken;
        return stall
            ? new AnswerDecision(outcome, delay, id, content, finishReason, usage, first, profile.StallAfterFraction, TimeSpan.FromMilliseconds(profile.StallMs))
            : new AnswerDecision(outcome, delay, id, content, finishReason, usage, first);
    }

    /// <summary>
    /// A schema instance with the prompt's fixed values written in, the relations the request states kept and the prompt's
    /// instructions on named fields followed: the values go in first so that totals and ratios are built on them, and
    /// again last so that no relation or instruction overwrites them.
    /// </summary>
    private static JsonNode? Instance(JsonObject schema, Random rng, ProfileData profileData, bool compact, Realism? realism,
        string prompt, IReadOnlyList<FixedValues.Entry> fixedValues)
    {
        var json = new SchemaInstanceGenerator(rng, profileData, compact, realism).Generate(schema);
        FixedValues.Apply(json, fixedValues);
        new StatedRelations(prompt, profileData, rng).Apply(json, schema);
        FieldInstructions.Apply(json, prompt, rng, realism);
        FixedValues.Apply(json, fixedValues);
        return json;
    }

    /// <summary>The fixed values the answer will use: all of them, or each at the realistic profile's rate.</summary>
    private static List<FixedValues.Entry> Honoured(IReadOnlyList<FixedValues.Entry> entries, Random rng, Realism? realism) =>
        entries.Where(_ => realism is null || rng.NextDouble() < realism.FixedValueRate).ToList();

    private (string Content, string Outcome, string FinishReason) Spoil(string content, JsonNode? json, ModelProfile profile, Random rng)
    {
        if (json is not null && Roll(profile.MalformedJsonRate))
        {
            return (ContentFaults.Malformed(content, rng), Outcomes.Malformed, "stop");
        }
        if (Roll(profile.PlaceholderRate))
        {
            if (json is null)
            {
                return (ContentFaults.InsertPlaceholder(content, rng), Outcomes.Placeholder, "stop");
            }
            if (ContentFaults.InsertPlaceholder(json, rng))
            {
                return (json.ToJsonString(ContentFaults.Indented), Outcomes.Placeholder, "stop");
            }
        }
        if (Roll(profile.TruncationRate))
        {
            return (ContentFaults.Truncate(content, rng), Outcomes.Truncated, "length");
        }
        if (json is not null && Roll(profile.FencedJsonRate))
        {
            return (ContentFaults.Fenced(content), Outcomes.Fenced, "stop");
        }
        return (content, Outcomes.Ok, "stop");
    }

    private bool Roll(double rate) => rate > 0 && random.NextDouble() < rate;
}
