using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace MarketIntel.ModelEmulator;

/// <summary>What the emulated model does with one request: an HTTP failure, or an answer after a delay.</summary>
internal abstract record Decision(string Outcome, TimeSpan Delay);

internal sealed record FailureDecision(string Outcome, TimeSpan Delay, int StatusCode, WorkersAiErrors.Body Body, bool RetryAfter)
    : Decision(Outcome, Delay);

internal sealed record AnswerDecision(string Outcome, TimeSpan Delay, string Id, string Content, string FinishReason, ChatUsage Usage)
    : Decision(Outcome, Delay);

/// <summary>
/// The emulated model: checks the context window and the schema size, draws the profile's faults from the seeded
/// sequence, writes the answer (a schema instance or a Markdown report) and works out how long it takes.
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

        var rng = random.Fork();
        var profileData = ProfileData.Parse(request.AllText);
        JsonNode? json = null;
        string content;
        if (schema is not null)
        {
            json = new SchemaInstanceGenerator(rng, profileData).Generate(schema);
            content = json?.ToJsonString() ?? "null";
            // A good model keeps its answer well inside the output budget it was given: when the first draft would use
            // more than 80 % of it, write the compact version (fewest items, shortest sentences) instead.
            if (request.MaxTokens is { } budget && EstimateTokens(content.Length) > budget * 0.8)
            {
                json = new SchemaInstanceGenerator(rng, profileData, compact: true).Generate(schema);
                content = json?.ToJsonString() ?? "null";
            }
        }
        else if (request.ResponseFormatType == "json_object")
        {
            json = new JsonObject { ["answer"] = new TextComposer(rng, profileData).Sentence("answer", rng.Next(1000)) };
            content = json.ToJsonString(ContentFaults.Indented);
        }
        else
        {
            content = new MarkdownReportGenerator(rng, profileData).Generate(request.AllText);
        }

        var outcome = timeout ? Outcomes.Timeout : Outcomes.Ok;
        var finishReason = "stop";
        if (!timeout)
        {
            (content, outcome, finishReason) = Spoil(content, json, profile, rng);
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
        return new AnswerDecision(outcome, delay, id, content, finishReason, usage);
    }

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
