namespace MarketIntel.Pipeline.Prompts;

/// <summary>
/// Pulls the JSON object out of a model's reply, tolerating code fences and prose around it (docs/domain.md §9 D7): the first
/// <c>{</c> opens the answer and its matching brace, found outside string literals, closes it.
/// </summary>
public static class ModelOutputParser
{
    public static bool TryExtractJsonObject(string? reply, out string json)
    {
        json = "";
        if (string.IsNullOrWhiteSpace(reply))
        {
            return false;
        }

        // The answer is the first object. If it never closes the reply was cut off; an inner object must not be
        // mistaken for the answer.
        var start = reply.IndexOf('{');
        if (start < 0)
        {
            return false;
        }
        var end = FindMatchingBrace(reply, start);
        if (end < 0)
        {
            return false;
        }
        json = reply[start..(end + 1)];
        return true;
    }

    private static int FindMatchingBrace(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    if (--depth == 0)
                    {
                        return i;
                    }
                    break;
            }
        }
        return -1;
    }

    /// <summary>A Markdown answer may still arrive wrapped in one fence; unwrap it.</summary>
    public static string UnwrapMarkdown(string reply)
    {
        var text = reply.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }
        var firstNewline = text.IndexOf('\n');
        if (firstNewline < 0)
        {
            return text;
        }
        var body = text[(firstNewline + 1)..];
        return body.EndsWith("```", StringComparison.Ordinal) ? body[..^3].TrimEnd() : body;
    }
}
