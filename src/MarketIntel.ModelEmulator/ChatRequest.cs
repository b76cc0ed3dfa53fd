using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>One message: its role and its text (array content parts of type "text" joined).</summary>
internal sealed record ChatMessageText(string Role, string Text);

/// <summary>Which provider's reading of the request body applies.</summary>
internal enum RequestDialect
{
    /// <summary>The OpenAI API: <c>max_completion_tokens</c>, else <c>max_tokens</c>; no cap when neither is sent.</summary>
    OpenAI,

    /// <summary>
    /// Workers AI's OpenAI-compatible endpoint: only <c>max_tokens</c> counts (<c>max_completion_tokens</c> is ignored),
    /// and without it the answer is cut at <see cref="ChatRequest.WorkersAiDefaultMaxTokens"/> tokens.
    /// </summary>
    WorkersAi,
}

/// <summary>The parts of an OpenAI chat completions request the emulator acts on.</summary>
internal sealed partial record ChatRequest(
    string Model,
    IReadOnlyList<ChatMessageText> Messages,
    int? MaxTokens,
    bool Stream,
    bool IncludeUsage,
    string? ResponseFormatType,
    JsonObject? ResponseSchema)
{
    /// <summary>Workers AI's output cap when a request sends no <c>max_tokens</c>.</summary>
    public const int WorkersAiDefaultMaxTokens = 256;

    /// <summary>How a re-ask starts: the previous answer's validation errors, listed for the model to fix.</summary>
    public const string ReaskOpening = "Your previous answer did not pass validation:";

    /// <summary>Reads a request body; <paramref name="error"/> says what is wrong when it cannot be used.</summary>
    public static ChatRequest? Parse(JsonNode? body, out string? error, RequestDialect dialect = RequestDialect.OpenAI)
    {
        error = null;
        if (body is not JsonObject root)
        {
            error = "The request body must be a JSON object.";
            return null;
        }
        if (root["model"] is not JsonValue modelValue || modelValue.GetValueKind() != JsonValueKind.String
            || string.IsNullOrWhiteSpace(modelValue.GetValue<string>()))
        {
            error = "The request needs a 'model' string.";
            return null;
        }
        if (root["messages"] is not JsonArray { Count: > 0 } messageArray)
        {
            error = "The request needs a non-empty 'messages' array.";
            return null;
        }

        var messages = new List<ChatMessageText>();
        foreach (var item in messageArray)
        {
            if (item is not JsonObject message || message["role"] is not JsonValue role || role.GetValueKind() != JsonValueKind.String)
            {
                error = "Every message needs a 'role' string.";
                return null;
            }
            if (!TryReadContent(message["content"], out var text))
            {
                error = "A message's 'content' must be a string or an array of content parts.";
                return null;
            }
            messages.Add(new ChatMessageText(role.GetValue<string>(), text));
        }

        int? maxTokens = null;
        string[] budgetKeys = dialect == RequestDialect.WorkersAi ? ["max_tokens"] : ["max_completion_tokens", "max_tokens"];
        foreach (var key in budgetKeys)
        {
            if (root[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
            {
                if (!value.TryGetValue<int>(out var tokens) || tokens <= 0)
                {
                    error = $"'{key}' must be a positive integer.";
                    return null;
                }
                maxTokens = tokens;
                break;
            }
        }

        if (dialect == RequestDialect.WorkersAi)
        {
            maxTokens ??= WorkersAiDefaultMaxTokens;
        }

        var stream = root["stream"] is JsonValue s && s.GetValueKind() == JsonValueKind.True;
        var includeUsage = root["stream_options"]?["include_usage"] is JsonValue u && u.GetValueKind() == JsonValueKind.True;

        string? formatType = null;
        JsonObject? schema = null;
        if (root["response_format"] is JsonObject format)
        {
            formatType = format["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
            if (formatType is not ("json_schema" or "json_object" or "text"))
            {
                error = "'response_format.type' must be 'json_schema', 'json_object' or 'text'.";
                return null;
            }
            if (formatType == "json_schema")
            {
                schema = format["json_schema"]?["schema"] as JsonObject;
                if (schema is null)
                {
                    error = "'response_format.json_schema.schema' must be a JSON schema object.";
                    return null;
                }
            }
        }

        return new ChatRequest(modelValue.GetValue<string>(), messages, maxTokens, stream, includeUsage, formatType, schema);
    }

    /// <summary>All message text, for token counting.</summary>
    public int PromptCharacters => Messages.Sum(m => m.Text.Length + m.Role.Length);

    public string LastUserText => Messages.LastOrDefault(m => m.Role == "user")?.Text ?? Messages[^1].Text;

    public string AllText => string.Join("\n\n", Messages.Select(m => m.Text));

    /// <summary>Whether the last user message hands back the validator's errors on a previous answer.</summary>
    public bool IsReask => LastUserText.TrimStart().StartsWith(ReaskOpening, StringComparison.Ordinal);

    /// <summary>
    /// The schema to answer with: the response format's, else the first fenced JSON schema in the latest user message that
    /// has one (a re-ask's last message holds only the errors; the schema is in the prompt before it).
    /// </summary>
    public JsonObject? FindSchema()
    {
        if (ResponseSchema is not null)
        {
            return ResponseSchema;
        }
        foreach (var message in Messages.Reverse().Where(m => m.Role == "user"))
        {
            if (FindSchema(message.Text) is { } schema)
            {
                return schema;
            }
        }
        return null;
    }

    private static JsonObject? FindSchema(string text)
    {
        foreach (Match fence in JsonFence().Matches(text))
        {
            try
            {
                if (JsonNode.Parse(fence.Groups["body"].Value) is JsonObject candidate && SchemaInstanceGenerator.LooksLikeSchema(candidate))
                {
                    return candidate;
                }
            }
            catch (JsonException)
            {
                // Not JSON: keep looking.
            }
        }
        return null;
    }

    private static bool TryReadContent(JsonNode? content, out string text)
    {
        switch (content)
        {
            case null:
                text = "";
                return true;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                text = value.GetValue<string>();
                return true;
            case JsonArray parts:
                var builder = new StringBuilder();
                foreach (var part in parts)
                {
                    if (part is not JsonObject partObject)
                    {
                        text = "";
                        return false;
                    }
                    if (partObject["text"] is JsonValue partText && partText.GetValueKind() == JsonValueKind.String)
                    {
                        if (builder.Length > 0)
                        {
                            builder.Append('\n');
                        }
                        builder.Append(partText.GetValue<string>());
                    }
                }
                text = builder.ToString();
                return true;
            default:
                text = "";
                return false;
        }
    }

    [GeneratedRegex(@"```json[ \t]*\r?\n(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex JsonFence();
}
